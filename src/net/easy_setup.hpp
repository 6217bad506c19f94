#pragma once

// Turns engine options and one request into libcurl easy-handle options (private to net).

#include "curl_handles.hpp"

#include <gapbundle/net/http_engine.hpp>

#include <string>
#include <vector>

namespace gapbundle::net::detail {

// What is fetched and for whom, independent of where the body goes.
struct TransferSpec {
    enum class Coding { identity, any };  // `any` lets curl negotiate gzip etc. (text only)

    std::string url;
    Credentials credentials;
    std::vector<std::string> headers;  // "Name: value"
    std::string label;
    Coding coding = Coding::identity;
};

Result<UniqueSlist> build_header_list(const TransferSpec& spec);

// Sets everything but the callbacks and the range on a fresh handle: redirects, timeouts,
// stall detection, CA, netrc, credentials. Proxies stay libcurl's (http_proxy, no_proxy...).
Status configure_easy(CURL* easy, const EngineOptions& options, const TransferSpec& spec,
                      curl_slist* headers, char* error_buffer);

}  // namespace gapbundle::net::detail
