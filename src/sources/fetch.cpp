#include <gapbundle/sources/fetch.hpp>

#include "oci/blob_fetch.hpp"
#include "store_download.hpp"

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/sources/huggingface.hpp>
#include <gapbundle/sources/pip.hpp>

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <map>
#include <string_view>

namespace gapbundle::sources {

namespace {

bool is_registry_url(std::string_view url)
{
    return url.starts_with("oci://");
}

net::DownloadRequest url_request(const manifest::LockedArtifact& artifact, const store::Store& store)
{
    net::DownloadRequest request;
    request.url = artifact.url;
    request.destination = store.temp_path(artifact.bundle_path);
    request.expected_sha256 = artifact.sha256;
    request.expected_size = artifact.size;
    request.label = artifact.origin;
    return request;
}

}  // namespace

Result<FetchStats> fetch_artifacts(const std::vector<manifest::LockedArtifact>& artifacts,
                                   const manifest::Manifest& manifest, net::HttpEngine& http, store::Store& store,
                                   const net::ProgressCallback& progress)
{
    FetchStats stats;
    std::vector<net::DownloadRequest> requests;
    std::vector<const manifest::LockedArtifact*> from_registries;
    std::map<std::string, net::Credentials> credentials_by_origin;
    for (const auto& artifact : artifacts) {
        if (is_registry_url(artifact.url)) {
            from_registries.push_back(&artifact);
        } else if (manifest::is_remote_url(artifact.url)) {
            if (store.contains(artifact.sha256)) {
                ++stats.cached;
                continue;
            }
            requests.push_back(url_request(artifact, store));
            if (artifact.kind == "pip" || artifact.kind == "huggingface") {
                // Once per kind and origin: the Hub token may come from a file.
                const std::string key = artifact.kind + " " + text::url_origin(artifact.url);
                auto known = credentials_by_origin.find(key);
                if (known == credentials_by_origin.end()) {
                    auto credentials = artifact.kind == "pip" ? pip_credentials_for(manifest, artifact.url)
                                                              : hf_credentials_for(manifest, artifact.url);
                    if (!credentials) return std::unexpected(credentials.error());
                    known = credentials_by_origin.emplace(key, std::move(*credentials)).first;
                }
                requests.back().credentials = known->second;
            }
        }
    }
    oci::detail::RegistryDownloads registries(manifest, http.options());
    const std::size_t first_registry_request = requests.size();
    if (!from_registries.empty()) {
        auto blobs = registries.prepare(from_registries, store, stats);
        if (!blobs) return std::unexpected(blobs.error());
        requests.insert(requests.end(), std::make_move_iterator(blobs->begin()), std::make_move_iterator(blobs->end()));
    }

    // Plain files and registry blobs in one parallel batch.
    auto outcome = detail::download_into_store(requests, http, store, progress, stats);
    std::vector<net::DownloadRequest> refused;
    for (std::size_t i = first_registry_request; i < requests.size(); ++i) {
        if (!outcome[i] && oci::detail::is_unauthorized(outcome[i].error())) {
            refused.push_back(requests[i]);
            outcome[i] = net::DownloadResult{};
        }
    }
    for (const auto& result : outcome)
        if (!result) return std::unexpected(result.error());
    if (refused.empty()) return stats;

    auto again = registries.renewed(refused);
    if (!again) return std::unexpected(again.error());
    for (const auto& result : detail::download_into_store(*again, http, store, progress, stats))
        if (!result) return std::unexpected(result.error());
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

std::filesystem::path artifact_source_path(std::string_view url, const std::string& sha256, const store::Store& store)
{
    if (manifest::is_remote_url(url) || is_registry_url(url)) return store.blob_path(sha256);
    if (url.starts_with("file://")) url.remove_prefix(7);
    return std::filesystem::path(std::string(url));
}

}  // namespace gapbundle::sources
