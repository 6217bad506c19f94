#pragma once

// Owners for libcurl handles (private to the net layer).

#include <curl/curl.h>

#include <memory>

namespace gapbundle::net::detail {

struct EasyDeleter {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
    void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using UniqueEasy = std::unique_ptr<CURL, EasyDeleter>;
using UniqueMulti = std::unique_ptr<CURLM, MultiDeleter>;
using UniqueSlist = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends to a list, keeping ownership on failure. Returns false when out of memory.
inline bool slist_append(UniqueSlist& list, const char* item)
{
    curl_slist* grown = curl_slist_append(list.get(), item);
    if (!grown) return false;
    list.release();
    list.reset(grown);
    return true;
}

}  // namespace gapbundle::net::detail
