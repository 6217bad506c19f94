#include <gapbundle/sources/conda/channel_client.hpp>

#include "zstd_text.hpp"

#include <gapbundle/net/http_request.hpp>
#include <gapbundle/store/url_records.hpp>
#include <gapbundle/util/text.hpp>

#include <optional>
#include <utility>

namespace gapbundle::sources::conda {

namespace {

enum class Variant { zst, json };

std::string_view file_of(Variant variant)
{
    return variant == Variant::zst ? "repodata.json.zst" : "repodata.json";
}

bool valid_subdir(std::string_view subdir)
{
    if (subdir == "noarch") return true;
    const auto dash = subdir.find('-');
    if (subdir.size() > 32 || dash == std::string_view::npos || dash == 0 || dash + 1 == subdir.size()) return false;
    for (std::size_t i = 0; i < subdir.size(); ++i) {
        const char c = subdir[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i == dash);
        if (!ok) return false;
    }
    return true;
}

// The body a URL served: either fresh from the server or the store's copy after a 304.
struct Fetched {
    long status = 0;  // 200 or 304 when `body` is set; the failing status otherwise
    std::string body;
};

std::string url_of(const ChannelFetch& request, Variant variant)
{
    return request.channel + "/" + request.subdir + "/" + std::string(file_of(variant));
}

// One GET, conditional when the store knows the URL; a 2xx body goes into the store.
Result<Fetched> get(const ChannelFetch& request, const std::string& url)
{
    net::HttpRequest http;
    http.url = url;
    http.credentials = request.credentials;
    http.max_body = k_max_repodata_bytes;
    const auto known = store::find_url_record(*request.store, url);
    if (known) http.headers = store::conditional_headers(*known);
    auto response = net::send(http, request.options);
    if (!response) return std::unexpected(response.error());
    if (response->status == 304 && known) {
        auto cached = request.store->read_small(known->sha256, k_max_repodata_bytes);
        if (!cached) return std::unexpected(cached.error().context(text::redact_url(url) + ": the cached copy"));
        return Fetched{304, std::move(*cached)};
    }
    if (response->status < 200 || response->status > 299) return Fetched{response->status, {}};
    auto sha256 = request.store->put(response->body);
    if (!sha256) return std::unexpected(sha256.error().context(text::redact_url(url)));
    store::UrlRecord record{url, *sha256, response->body.size(), response->header("ETag").value_or(""),
                            response->header("Last-Modified").value_or("")};
    if (!record.etag.empty() || !record.last_modified.empty()) {
        if (auto saved = store::save_url_record(*request.store, record); !saved)
            return std::unexpected(saved.error().context(text::redact_url(url)));
    }
    return Fetched{response->status, std::move(response->body)};
}

std::unexpected<Error> status_error(const ChannelFetch& request, const std::string& url, long status)
{
    const auto code = std::to_string(status);
    if (status == 401 || status == 403)
        return fail(ErrorCode::download, "access denied (HTTP " + code + ") to " + text::redact_url(url) +
                                             "; check the credentials for channel " +
                                             text::redact_url(request.channel));
    return fail(ErrorCode::download, text::redact_url(url) + ": HTTP " + code);
}

// .json first when the last fetch of this channel-subdir found only the .json.
bool json_only_last_time(const ChannelFetch& request)
{
    return store::find_url_record(*request.store, url_of(request, Variant::json)).has_value() &&
           !store::find_url_record(*request.store, url_of(request, Variant::zst)).has_value();
}

Result<Repodata> parse(const ChannelFetch& request, Variant variant, const std::string& url, std::string body)
{
    if (variant == Variant::zst) {
        auto plain = detail::zstd_decompress(body, k_max_repodata_bytes);
        if (!plain) return std::unexpected(plain.error().context(text::redact_url(url)));
        body = std::move(*plain);
    }
    auto repodata = parse_repodata(body, text::redact_url(request.channel));
    if (!repodata) return std::unexpected(repodata.error().context(text::redact_url(url)));
    return repodata;
}

}  // namespace

Result<Repodata> fetch_repodata(const ChannelFetch& request)
{
    if (request.store == nullptr) return fail(ErrorCode::internal, "fetch_repodata: no store");
    if (!valid_subdir(request.subdir))
        return fail(ErrorCode::usage, "'" + request.subdir + "' is not a conda subdir (noarch, linux-64, osx-arm64...)");

    const std::pair<Variant, Variant> order =
        json_only_last_time(request) ? std::pair{Variant::json, Variant::zst} : std::pair{Variant::zst, Variant::json};
    long last_status = 0;
    for (const Variant variant : {order.first, order.second}) {
        const auto url = url_of(request, variant);
        auto fetched = get(request, url);
        if (!fetched) return std::unexpected(fetched.error());
        if (fetched->status == 404) {
            last_status = 404;
            continue;
        }
        if (fetched->status != 200 && fetched->status != 304) return status_error(request, url, fetched->status);
        return parse(request, variant, url, std::move(fetched->body));
    }
    if (request.missing_is_empty) return Repodata{.subdir = request.subdir, .base_url = {}, .records = {}, .skipped = {}};
    return fail(ErrorCode::download, "channel " + text::redact_url(request.channel) + " has no subdir " +
                                         request.subdir + " (repodata.json: HTTP " + std::to_string(last_status) + ")");
}

}  // namespace gapbundle::sources::conda
