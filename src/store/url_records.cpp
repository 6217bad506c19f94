#include <gapbundle/store/url_records.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <charconv>
#include <vector>

namespace gapbundle::store {

namespace {

std::filesystem::path record_path(const Store& store, std::string_view url)
{
    return store.root() / "urls" / crypto::sha256_hex(url);
}

bool single_line(std::string_view value)
{
    return value.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

std::optional<UrlRecord> find_url_record(const Store& store, std::string_view url)
{
    auto content = fs::read_small_file(record_path(store, url), 64 * 1024);
    if (!content) return std::nullopt;
    const auto lines = text::split(*content, '\n');
    // url, sha256, size, etag, last-modified, then the empty piece after the final newline.
    if (lines.size() != 6 || lines[0] != url || !text::is_sha256_hex(lines[1])) return std::nullopt;
    UrlRecord record{std::string(lines[0]), std::string(lines[1]), 0, std::string(lines[3]), std::string(lines[4])};
    const auto [end, ec] = std::from_chars(lines[2].data(), lines[2].data() + lines[2].size(), record.size);
    if (ec != std::errc() || end != lines[2].data() + lines[2].size()) return std::nullopt;
    if (record.etag.empty() && record.last_modified.empty()) return std::nullopt;
    if (!store.contains(record.sha256)) return std::nullopt;
    return record;
}

Status save_url_record(const Store& store, const UrlRecord& record)
{
    if (!text::is_sha256_hex(record.sha256))
        return fail(ErrorCode::internal, "URL record for " + text::redact_url(record.url) + ": not a sha256");
    if (!single_line(record.url) || !single_line(record.etag) || !single_line(record.last_modified))
        return fail(ErrorCode::internal, "URL record for " + text::redact_url(record.url) + ": a value spans lines");
    if (auto st = fs::create_directories(store.root() / "urls"); !st) return st;
    return fs::write_file_atomic(record_path(store, record.url),
                                 record.url + "\n" + record.sha256 + "\n" + std::to_string(record.size) + "\n" +
                                     record.etag + "\n" + record.last_modified + "\n",
                                 0644, fs::AtomicFile::Sync::rename_only);  // a cache: see Store::adopt
}

std::vector<std::string> conditional_headers(const UrlRecord& record)
{
    std::vector<std::string> headers;
    if (!record.etag.empty()) headers.push_back("If-None-Match: " + record.etag);
    if (!record.last_modified.empty()) headers.push_back("If-Modified-Since: " + record.last_modified);
    return headers;
}

}  // namespace gapbundle::store
