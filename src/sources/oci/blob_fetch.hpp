#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/fetch.hpp>
#include <gapbundle/store/store.hpp>

#include <map>
#include <memory>
#include <vector>

namespace gapbundle::sources::oci::detail {

class RegistryClients;

// The oci:// artifacts of a fetch. Manifests come through the registry client (checked against
// their digests) at once; blobs become download requests for the HTTP engine, carrying the
// credentials each registry wants. Registry settings and credentials come from the manifest.
class RegistryDownloads {
public:
    RegistryDownloads(const manifest::Manifest& manifest, net::EngineOptions engine);
    ~RegistryDownloads();

    // Fetches the missing manifests into the store and returns requests for the missing blobs
    // (each written to a temp file of the store). Counts what the store had in `stats`.
    Result<std::vector<net::DownloadRequest>> prepare(const std::vector<const manifest::LockedArtifact*>& artifacts,
                                                      store::Store& store, FetchStats& stats);

    // The same requests with new tokens (after a 401, e.g. an expired token). `requests` must
    // come from prepare().
    Result<std::vector<net::DownloadRequest>> renewed(const std::vector<net::DownloadRequest>& requests);

private:
    Result<net::DownloadRequest> blob_request(RegistryClients& clients, const manifest::LockedArtifact& artifact,
                                              const manifest::OciLocation& location,
                                              const std::filesystem::path& destination);

    const manifest::Manifest& m_manifest;
    net::EngineOptions m_engine;
    std::unique_ptr<RegistryClients> m_clients;
    // destination → what it downloads, to build a request again
    std::map<std::filesystem::path, std::pair<const manifest::LockedArtifact*, manifest::OciLocation>> m_blobs;
};

// A download error that is the registry's refusal (HTTP 401), which new tokens may cure.
bool is_unauthorized(const Error& error);

}  // namespace gapbundle::sources::oci::detail
