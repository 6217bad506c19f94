#pragma once

#include <gapbundle/util/error.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gapbundle::net {

// Initialises libcurl once for the process; create one in main() before any engine.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

struct Credentials {
    enum class Kind { none, basic, bearer };
    Kind kind = Kind::none;
    std::string user;    // basic
    std::string secret;  // password or token; never logged
};

struct EngineOptions {
    int jobs = 4;                                   // parallel transfers
    int max_attempts = 6;                           // first try included
    std::chrono::milliseconds connect_timeout{15000};
    std::chrono::seconds stall_timeout{30};         // abort when below 1 byte/s for this long
    std::chrono::milliseconds backoff_initial{500};
    std::chrono::milliseconds backoff_max{30000};
    std::chrono::seconds retry_after_max{120};      // cap on a server's Retry-After
    std::string ca_bundle;                          // --ca-bundle, else SSL_CERT_FILE, else system
    bool use_netrc = true;                          // ~/.netrc (NETRC overrides the file)
    // A download of a known size of at least range_min_size is fetched as byte ranges of
    // range_chunk_size, several at once (they share the `jobs` slots); a server that ignores
    // Range gets one request for the whole file instead. 0 fetches every file whole.
    std::uint64_t range_chunk_size = 16ull << 20;
    std::uint64_t range_min_size = 64ull << 20;
    std::string user_agent = "gapbundle";
};

struct DownloadRequest {
    std::string url;
    std::filesystem::path destination;  // written from scratch (resumed with Range after a drop)
    std::optional<std::string> expected_sha256;
    std::optional<std::uint64_t> expected_size;
    Credentials credentials;
    std::vector<std::string> headers;   // "Name: value"
    std::string label;                  // who asked ("files[2]"), for errors
    // With conditional headers (If-None-Match, If-Modified-Since): a 304 answer is a success
    // with `not_modified` set and nothing written.
    bool allow_not_modified = false;
};

struct DownloadResult {
    std::string url;
    std::uint64_t bytes = 0;
    std::string sha256;  // of the bytes written, computed while streaming
    long http_status = 0;       // of the last response (206 for a file fetched as byte ranges)
    int attempts = 0;           // for a file fetched as byte ranges, the most any range needed
    bool not_modified = false;  // 304 to a conditional request
    std::string etag;           // validators of the response, for a later conditional request
    std::string last_modified;
    std::size_t ranges = 1;  // byte ranges the file was fetched as (1: one whole request)
};

struct Progress {
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;  // 0 when unknown
    std::size_t transfers_done = 0;
    std::size_t transfers_total = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

// Parallel transfers on libcurl's multi interface, retries with exponential backoff on
// connection errors, 5xx and 429 (honouring Retry-After), resume with Range after a dropped
// connection, big files in parallel byte ranges (see EngineOptions), redirects, timeouts,
// proxies from the environment (libcurl's own handling).
// The body is hashed while it streams to disk; a size or sha256 mismatch is an ErrorCode::download
// error naming the URL and label, and the destination file is removed.
class HttpEngine {
public:
    explicit HttpEngine(EngineOptions options);
    ~HttpEngine();
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    // One result per request, in request order.
    std::vector<Result<DownloadResult>> download(std::span<const DownloadRequest> requests,
                                                 const ProgressCallback& progress = {});

    // A small document (index pages, JSON APIs) into memory, capped at max_bytes.
    Result<std::string> get_text(const std::string& url, const Credentials& credentials = {},
                                 std::uint64_t max_bytes = 64ull << 20);

    [[nodiscard]] const EngineOptions& options() const { return m_options; }

private:
    EngineOptions m_options;
};

}  // namespace gapbundle::net
