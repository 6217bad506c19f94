#include <gapbundle/sources/fetch.hpp>

#include <gapbundle/manifest/manifest.hpp>

#include <string_view>

namespace gapbundle::sources {

namespace {


}  // namespace

Result<FetchStats> fetch_artifacts(const std::vector<manifest::LockedArtifact>& artifacts, net::HttpEngine& http,
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

std::filesystem::path artifact_source_path(const manifest::LockedArtifact& artifact, const store::Store& store)
{
    if (manifest::is_remote_url(artifact.url)) return store.blob_path(artifact.sha256);
    std::string_view url = artifact.url;
    if (url.starts_with("file://")) url.remove_prefix(7);
    return std::filesystem::path(std::string(url));
}

}  // namespace gapbundle::sources
