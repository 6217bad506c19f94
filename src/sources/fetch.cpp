#include <gapbundle/sources/fetch.hpp>

#include "oci/blob_fetch.hpp"

#include <gapbundle/manifest/manifest.hpp>

#include <algorithm>
#include <string_view>

namespace gapbundle::sources {

namespace {

bool is_registry_url(std::string_view url)
{
    return url.starts_with("oci://");
}

Result<FetchStats> fetch_urls(const std::vector<manifest::LockedArtifact>& artifacts, net::HttpEngine& http,
                              store::Store& store, const net::ProgressCallback& progress)
{
    FetchStats stats;
    std::vector<net::DownloadRequest> requests;
    for (const auto& artifact : artifacts) {
        if (!manifest::is_remote_url(artifact.url)) continue;
        if (store.contains(artifact.sha256)) {
            ++stats.cached;
            continue;
        }
        net::DownloadRequest request;
        request.url = artifact.url;
        request.destination = store.temp_path(artifact.bundle_path);
        request.expected_sha256 = artifact.sha256;
        request.expected_size = artifact.size;
        request.label = artifact.origin;
        requests.push_back(std::move(request));
    }
    if (requests.empty()) return stats;

    auto results = http.download(requests, progress);
    std::optional<Error> first_error;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i]) {
            if (!first_error) first_error = results[i].error();
            continue;
        }
        // Keep what did arrive, so the next run only fetches what failed.
        if (auto st = store.adopt(requests[i].destination, results[i]->sha256); !st) {
            if (!first_error) first_error = st.error();
            continue;
        }
        ++stats.downloaded;
        stats.bytes_downloaded += results[i]->bytes;
    }
    if (first_error) return std::unexpected(*first_error);
    return stats;
}

}  // namespace

Result<FetchStats> fetch_artifacts(const std::vector<manifest::LockedArtifact>& artifacts,
                                   const manifest::Manifest& manifest, net::HttpEngine& http, store::Store& store,
                                   const net::ProgressCallback& progress)
{
    auto stats = fetch_urls(artifacts, http, store, progress);
    if (!stats) return stats;
    std::vector<const manifest::LockedArtifact*> from_registries;
    for (const auto& artifact : artifacts)
        if (is_registry_url(artifact.url)) from_registries.push_back(&artifact);
    if (from_registries.empty()) return stats;
    auto more = oci::detail::fetch_registry_artifacts(from_registries, manifest, http, store, progress);
    if (!more) return more;
    stats->downloaded += more->downloaded;
    stats->cached += more->cached;
    stats->bytes_downloaded += more->bytes_downloaded;
    return stats;
}

FetchStats combine(const FetchStats& resolved, const FetchStats& fetched)
{
    FetchStats total;
    total.downloaded = resolved.downloaded + fetched.downloaded;
    total.bytes_downloaded = resolved.bytes_downloaded + fetched.bytes_downloaded;
    total.cached = fetched.cached - std::min(fetched.cached, resolved.downloaded);
    return total;
}

std::filesystem::path artifact_source_path(const manifest::LockedArtifact& artifact, const store::Store& store)
{
    if (manifest::is_remote_url(artifact.url) || is_registry_url(artifact.url)) return store.blob_path(artifact.sha256);
    std::string_view url = artifact.url;
    if (url.starts_with("file://")) url.remove_prefix(7);
    return std::filesystem::path(std::string(url));
}

}  // namespace gapbundle::sources
