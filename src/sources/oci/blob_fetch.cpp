#include "blob_fetch.hpp"

#include "registry_clients.hpp"

namespace gapbundle::sources::oci::detail {

RegistryDownloads::RegistryDownloads(const manifest::Manifest& manifest, net::EngineOptions engine)
    : m_manifest(manifest), m_engine(std::move(engine)), m_clients(std::make_unique<RegistryClients>(manifest, m_engine))
{
}

RegistryDownloads::~RegistryDownloads() = default;

Result<net::DownloadRequest> RegistryDownloads::blob_request(RegistryClients& clients,
                                                             const manifest::LockedArtifact& artifact,
                                                             const manifest::OciLocation& location,
                                                             const std::filesystem::path& destination)
{
    auto client = clients.get(location.registry);
    if (!client) return std::unexpected(client.error());
    auto request = (*client)->blob_request(location.repository, location.digest, destination);
    if (!request) return std::unexpected(request.error().context(artifact.origin));
    request->expected_size = artifact.size;
    request->label = artifact.origin + " " + request->label;
    return request;
}

Result<std::vector<net::DownloadRequest>> RegistryDownloads::prepare(
    const std::vector<const manifest::LockedArtifact*>& artifacts, store::Store& store, FetchStats& stats)
{
    std::vector<net::DownloadRequest> requests;
    for (const auto* artifact : artifacts) {
        if (store.contains(artifact->sha256)) {
            ++stats.cached;
            continue;
        }
        auto location = manifest::parse_oci_url(artifact->url);
        if (!location)
            return fail(ErrorCode::manifest, artifact->origin + ": malformed registry location '" + artifact->url + "'");
        if (location->is_manifest) {
            auto client = m_clients->get(location->registry);
            if (!client) return std::unexpected(client.error());
            auto received = (*client)->get_manifest(location->repository, location->digest);
            if (!received) return std::unexpected(received.error().context(artifact->origin));
            if (auto stored = store.put(received->bytes); !stored) return std::unexpected(stored.error());
            ++stats.downloaded;
            stats.bytes_downloaded += received->bytes.size();
            continue;
        }
        auto request = blob_request(*m_clients, *artifact, *location, store.temp_path(artifact->sha256));
        if (!request) return std::unexpected(request.error());
        m_blobs.emplace(request->destination, std::make_pair(artifact, std::move(*location)));
        requests.push_back(std::move(*request));
    }
    return requests;
}

Result<std::vector<net::DownloadRequest>> RegistryDownloads::renewed(const std::vector<net::DownloadRequest>& requests)
{
    m_clients = std::make_unique<RegistryClients>(m_manifest, m_engine);  // no cached tokens
    std::vector<net::DownloadRequest> again;
    for (const auto& old : requests) {
        const auto& [artifact, location] = m_blobs.at(old.destination);
        auto request = blob_request(*m_clients, *artifact, location, old.destination);
        if (!request) return std::unexpected(request.error());
        again.push_back(std::move(*request));
    }
    return again;
}

bool is_unauthorized(const Error& error)
{
    return error.code == ErrorCode::network && error.message.find(": HTTP 401") != std::string::npos;
}

}  // namespace gapbundle::sources::oci::detail
