#include "blob_fetch.hpp"

#include "registry_clients.hpp"

#include <optional>

namespace gapbundle::sources::oci::detail {

namespace {

struct Wanted {
    const manifest::LockedArtifact* artifact;
    manifest::OciLocation location;
};

Status fetch_manifest(const Wanted& wanted, RegistryClients& clients, store::Store& store, FetchStats& stats)
{
    auto client = clients.get(wanted.location.registry);
    if (!client) return std::unexpected(client.error());
    auto received = (*client)->get_manifest(wanted.location.repository, wanted.location.digest);
    if (!received) return std::unexpected(received.error().context(wanted.artifact->origin));
    auto stored = store.put(received->bytes);
    if (!stored) return std::unexpected(stored.error());
    ++stats.downloaded;
    stats.bytes_downloaded += received->bytes.size();
    return {};
}

// One parallel round over `blobs`; what failed with HTTP 401 is returned for another round.
Result<std::vector<Wanted>> fetch_blobs(const std::vector<Wanted>& blobs, RegistryClients& clients,
                                        net::HttpEngine& http, store::Store& store,
                                        const net::ProgressCallback& progress, FetchStats& stats)
{
    std::vector<net::DownloadRequest> requests;
    for (const auto& wanted : blobs) {
        auto client = clients.get(wanted.location.registry);
        if (!client) return std::unexpected(client.error());
        auto request = (*client)->blob_request(wanted.location.repository, wanted.location.digest,
                                               store.temp_path(wanted.artifact->sha256));
        if (!request) return std::unexpected(request.error().context(wanted.artifact->origin));
        request->expected_size = wanted.artifact->size;
        request->label = wanted.artifact->origin + " " + request->label;
        requests.push_back(std::move(*request));
    }
    auto results = http.download(requests, progress);
    std::vector<Wanted> unauthorized;
    std::optional<Error> first_error;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i]) {
            if (results[i].error().message.find(": HTTP 401") != std::string::npos)
                unauthorized.push_back(blobs[i]);
            else if (!first_error)
                first_error = results[i].error();
            continue;
        }
        if (auto st = store.adopt(requests[i].destination, results[i]->sha256); !st) {
            if (!first_error) first_error = st.error();
            continue;
        }
        ++stats.downloaded;
        stats.bytes_downloaded += results[i]->bytes;
    }
    if (first_error) return std::unexpected(*first_error);
    return unauthorized;
}

}  // namespace

Result<FetchStats> fetch_registry_artifacts(const std::vector<const manifest::LockedArtifact*>& artifacts,
                                            const manifest::Manifest& manifest, net::HttpEngine& http,
                                            store::Store& store, const net::ProgressCallback& progress)
{
    FetchStats stats;
    std::vector<Wanted> blobs;
    RegistryClients clients(manifest, http.options());
    for (const auto* artifact : artifacts) {
        if (store.contains(artifact->sha256)) {
            ++stats.cached;
            continue;
        }
        auto location = manifest::parse_oci_url(artifact->url);
        if (!location)
            return fail(ErrorCode::manifest, artifact->origin + ": malformed registry location '" + artifact->url + "'");
        Wanted wanted{artifact, std::move(*location)};
        if (wanted.location.is_manifest) {
            if (auto st = fetch_manifest(wanted, clients, store, stats); !st) return std::unexpected(st.error());
        } else {
            blobs.push_back(std::move(wanted));
        }
    }
    if (blobs.empty()) return stats;
    auto retry = fetch_blobs(blobs, clients, http, store, progress, stats);
    if (!retry) return std::unexpected(retry.error());
    if (retry->empty()) return stats;
    RegistryClients fresh(manifest, http.options());  // new tokens
    auto still = fetch_blobs(*retry, fresh, http, store, progress, stats);
    if (!still) return std::unexpected(still.error());
    if (!still->empty())
        return fail(ErrorCode::network, still->front().artifact->origin + ": " + still->front().location.registry + "/" +
                                             still->front().location.repository + "@" + still->front().location.digest +
                                             ": access denied (HTTP 401): check the credentials for " +
                                             still->front().location.registry);
    return stats;
}

}  // namespace gapbundle::sources::oci::detail
