#pragma once

// Fetching a channel's repodata for one subdir, as conda and mamba do: repodata.json.zst first,
// repodata.json when the channel has no .zst, conditional requests against the store's cache.

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/conda/repodata.hpp>
#include <gapbundle/store/store.hpp>
#include <gapbundle/util/error.hpp>

#include <string>
#include <string_view>

namespace gapbundle::sources::conda {

// "conda-forge" -> "https://conda.anaconda.org/conda-forge"; an http://, https:// or file:// URL
// is kept as it is, without trailing '/'.
std::string channel_url(std::string_view name_or_url);

// The last path segment of a channel URL ("conda-forge"), the channel's folder in a bundle.
std::string channel_name(std::string_view url);

struct ChannelFetch {
    std::string channel;  // a URL as channel_url() returns it
    std::string subdir;   // "linux-64", "noarch"
    store::Store* store = nullptr;
    net::Credentials credentials;
    net::EngineOptions options;
    // A channel without this subdir has no packages for it, as conda reads a platform folder a
    // channel does not build for; when false (for noarch, which every channel has) it is an error.
    bool missing_is_empty = false;
};

// The largest repodata.json accepted, compressed or not (conda-forge's biggest is a few hundred MiB).
inline constexpr std::uint64_t k_max_repodata_bytes = 2ull << 30;

// GETs {channel}/{subdir}/repodata.json.zst, and on a 404 {channel}/{subdir}/repodata.json; a
// channel-subdir whose last fetch found only the .json (the store has a record for the .json URL
// and none for the .zst) is asked for the .json first. With a UrlRecord for the URL the request
// carries If-None-Match / If-Modified-Since and a 304 reuses the stored body. A new body goes
// into the store with its UrlRecord. Server answers fail with ErrorCode::download naming the
// redacted URL ("https://…/linux-64/repodata.json: HTTP 500"); a channel with neither file is an
// empty Repodata when `missing_is_empty`, else fails with
// "channel X has no subdir linux-64 (repodata.json: HTTP 404)"; transport failures are
// ErrorCode::network.
Result<Repodata> fetch_repodata(const ChannelFetch& request);

}  // namespace gapbundle::sources::conda
