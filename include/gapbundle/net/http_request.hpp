#pragma once

// One HTTP exchange with a small response body in memory, for API calls (registry manifests,
// token servers, blob uploads). Big downloads go through HttpEngine::download.

#include <gapbundle/net/http_engine.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::net {

struct HttpRequest {
    std::string method = "GET";  // "HEAD" sends no body and reads none
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // sent when not empty
    // Instead of `body` (PUT or PATCH only): `upload_length` bytes of this file from
    // `upload_offset`, streamed, never held in memory. A retry or a 307/308 redirect re-reads
    // the region from its start.
    std::filesystem::path upload_file;
    std::uint64_t upload_offset = 0;
    std::uint64_t upload_length = 0;
    Credentials credentials;
    std::uint64_t max_body = 16ull << 20;
};

struct HttpResponse {
    long status = 0;
    // Of the final response (after redirects), in order.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string effective_url;

    // The first header `name`, case-insensitive.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// Sends the request, following redirects (credentials never go to another host). Connection
// errors, 408, 429 and 5xx are retried with the engine's backoff (honouring Retry-After) up to
// options.max_attempts; what is left is returned: any HTTP status as a response, a transport
// failure as ErrorCode::network naming the redacted URL. A body over max_body is an error; an
// upload_file that cannot be opened or is shorter than the region is ErrorCode::io.
Result<HttpResponse> send(const HttpRequest& request, const EngineOptions& options);

}  // namespace gapbundle::net
