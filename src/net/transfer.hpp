#pragma once

// One request and its attempts: the easy handle, the response headers, the body going to its
// sink, and what to do when an attempt ends (private to the net layer).

#include "body_sink.hpp"
#include "curl_handles.hpp"
#include "easy_setup.hpp"

#include <gapbundle/net/http_engine.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace gapbundle::net::detail {

// What a downloaded body must be; checked while streaming (size) and at the end.
struct Expectation {
    std::optional<std::uint64_t> size;
    std::optional<std::string> sha256;
    bool allow_not_modified = false;  // 304 is a success (the request was conditional)
};

struct AttemptOutcome {
    enum class Kind { success, retry, failure };
    Kind kind = Kind::failure;
    std::optional<std::chrono::seconds> retry_after;  // for Kind::retry
    Error error{ErrorCode::network, ""};              // what went wrong (retry and failure)
};

class Transfer {
public:
    Transfer(TransferSpec spec, BodySink sink, Expectation expect = {})
        : m_spec(std::move(spec)), m_sink(std::move(sink)), m_expect(std::move(expect)) {}
    Transfer(const Transfer&) = delete;  // libcurl holds pointers to it
    Transfer& operator=(const Transfer&) = delete;

    // A fresh easy handle for the next attempt, asking for the rest of the body with Range
    // when the sink already holds a prefix.
    Result<CURL*> begin_attempt(const EngineOptions& options);
    // Classifies the attempt curl just finished with `code`.
    AttemptOutcome end_attempt(CURLcode code);
    [[nodiscard]] CURL* handle() const { return m_easy.get(); }
    void release_handle() { m_easy.reset(); }
    // After a successful attempt: closes a file body and checks its size and sha256.
    // On failure, and in discard(), the file is removed.
    Status complete();
    void discard() noexcept;

    [[nodiscard]] int attempts() const { return m_attempts; }
    [[nodiscard]] long http_status() const { return m_status; }
    [[nodiscard]] const std::string& sha256() const { return m_sha256; }  // after complete()
    [[nodiscard]] bool not_modified() const { return m_status == 304 && m_expect.allow_not_modified; }
    // A byte range's transfer got the whole body (200) instead: the server ignores Range.
    [[nodiscard]] bool ranges_refused() const { return m_ranges_refused; }
    [[nodiscard]] const std::string& etag() const { return m_etag; }
    [[nodiscard]] const std::string& last_modified() const { return m_last_modified; }
    [[nodiscard]] std::uint64_t bytes_done() const;
    // Expected size, else what the server announced; 0 when unknown.
    [[nodiscard]] std::uint64_t bytes_total() const;

    // "files[2]: https://host/path: " (label omitted when empty, URL redacted).
    [[nodiscard]] std::string where() const;
    BodySink& sink() { return m_sink; }
    [[nodiscard]] const TransferSpec& spec() const { return m_spec; }

    std::chrono::steady_clock::time_point not_before{};
    // The caller's request it serves, when several transfers serve one (a file's byte ranges);
    // otherwise each transfer is a request of its own.
    std::optional<std::size_t> request;

private:
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
    void take_header_line(std::string_view line);
    bool accept_body_start();
    bool accept_range_start(const RangeSink& part);
    AttemptOutcome classify_http();
    std::optional<Error> check_size(std::uint64_t incoming) const;
    AttemptOutcome fail_with(ErrorCode code, std::string message) const;
    AttemptOutcome retry_with(std::string message) const;

    TransferSpec m_spec;
    BodySink m_sink;
    UniqueEasy m_easy;
    UniqueSlist m_headers;
    char m_error_buffer[CURL_ERROR_SIZE] = {};
    Expectation m_expect;
    std::string m_sha256;
    int m_attempts = 0;

    // The current attempt's response (reset on every status line, redirects included).
    std::uint64_t m_range_from = 0;  // 0: whole body asked for (a FileSink's first attempt)
    long m_status = 0;
    std::string m_reason;
    std::string m_retry_after;
    std::string m_etag;
    std::string m_last_modified;
    std::optional<std::uint64_t> m_range_start;     // from Content-Range
    std::optional<std::uint64_t> m_range_total;     // from Content-Range, when not "*"
    std::optional<std::uint64_t> m_content_length;  // of this response
    bool m_body_started = false;
    bool m_range_mismatch = false;
    bool m_ranges_refused = false;
    std::optional<Error> m_sink_error;
};

}  // namespace gapbundle::net::detail
