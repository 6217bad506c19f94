#pragma once

// The push requests of the Distribution API v2 against one registry, with its auth (private to
// the oci source kind). Errors name the registry's answer (status, error code, URL) but not the
// image; the caller adds that.

#include "registry_auth.hpp"

#include <gapbundle/sources/oci/registry_client.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::oci::detail {

struct BlobSource {
    std::filesystem::path file;
    std::string digest;  // "sha256:<hex>"
    std::uint64_t size = 0;
};

struct ChunkPolicy {
    std::uint64_t monolithic_max = 8ull << 20;
    std::uint64_t chunk_size = 32ull << 20;
};

class PushSession {
public:
    PushSession(std::string host, RegistryOptions options);

    [[nodiscard]] const std::string& host() const { return m_host; }

    // HEAD /v2/<repository>/blobs/<digest>: true when the registry has it.
    Result<bool> blob_exists(std::string_view repository, std::string_view digest);

    // POST ...uploads/?mount=<digest>&from=<from>: true when mounted; false when the registry
    // started an upload session instead, whose location `upload_location` then holds.
    Result<bool> mount_blob(std::string_view repository, std::string_view digest, std::string_view from,
                            std::string& upload_location);

    // POST ...uploads/ then the upload (one PUT, or PATCH chunks and a final PUT), streamed from
    // the file. `location` is a session already started (by a mount answered 202), or empty.
    Status upload_blob(std::string_view repository, const BlobSource& blob, std::string location,
                       const ChunkPolicy& policy);

    // HEAD /v2/<repository>/manifests/<reference>: the Docker-Content-Digest of what is there,
    // "" when the registry sends none, nullopt when it has nothing under that reference.
    Result<std::optional<std::string>> manifest_digest(std::string_view repository, std::string_view reference,
                                                       std::string_view media_type);

    // PUT /v2/<repository>/manifests/<reference> with `bytes` as they are. The registry must
    // answer with the digest `digest` when it names one.
    Status put_manifest(std::string_view repository, std::string_view reference, const std::string& bytes,
                        std::string_view media_type, std::string_view digest);

private:
    [[nodiscard]] std::string url(std::string_view repository, std::string_view rest) const;
    [[nodiscard]] std::string resolve(std::string_view location) const;
    [[nodiscard]] Error status_error(const net::HttpResponse& response, std::string_view what) const;
    Result<net::HttpResponse> send(net::HttpRequest request, const std::string& scope, std::string_view what);
    Result<std::string> start_upload(std::string_view repository);
    Result<std::string> next_location(const net::HttpResponse& response, std::string_view what) const;

    std::string m_host;
    std::string m_base_url;
    RegistryAuth m_auth;
    std::uint64_t m_chunk_min = 0;  // OCI-Chunk-Min-Length, when the registry sends it
};

}  // namespace gapbundle::sources::oci::detail
