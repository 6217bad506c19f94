#include <gapbundle/net/http_engine.hpp>

#include <curl/curl.h>

#include <stdexcept>

namespace gapbundle::net {

CurlGlobal::CurlGlobal()
{
    // Fails only when out of memory: an exception, not an Error (see STYLE.md).
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw std::runtime_error("curl_global_init failed");
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

}  // namespace gapbundle::net
