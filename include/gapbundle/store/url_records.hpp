#pragma once

#include <gapbundle/store/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::store {

// What a URL served last time: the blob it hashed to and the validators (ETag, Last-Modified)
// for a conditional request that costs a 304 instead of a download when nothing changed.
struct UrlRecord {
    std::string url;
    std::string sha256;
    std::uint64_t size = 0;
    std::string etag;
    std::string last_modified;
};

// ROOT/urls/<sha256 of the URL>. Returned only while its blob is still in the store and the
// record has a validator; a damaged record reads as none.
std::optional<UrlRecord> find_url_record(const Store& store, std::string_view url);
Status save_url_record(const Store& store, const UrlRecord& record);

// "If-None-Match: …" and "If-Modified-Since: …" for the validators the record holds.
std::vector<std::string> conditional_headers(const UrlRecord& record);

}  // namespace gapbundle::store
