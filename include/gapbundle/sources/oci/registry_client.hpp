#pragma once

// The pulling side of the Distribution API v2 (see reference/oci_helm_hf.md A1, A2): manifests
// by tag or digest, tag → digest resolution, and blob download requests for the HttpEngine.
// Auth: anonymous, Basic, and the Bearer token flow (challenge → token server → token cached per
// scope, renewed on a later 401). Credentials and tokens never appear in errors.

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::net {
struct HttpRequest;
struct HttpResponse;
}  // namespace gapbundle::net

namespace gapbundle::sources::oci {

struct RegistryOptions {
    bool insecure = false;         // plain http (test and lab registries)
    net::Credentials credentials;  // basic (also sent to the token server) or a bearer token
    net::EngineOptions engine;     // timeouts, retries, CA bundle
};

inline constexpr int k_max_tag_pages = 100;

struct ManifestResponse {
    std::string media_type;  // from Content-Type, else the JSON's mediaType
    std::string bytes;       // exactly as received
    std::string digest;      // "sha256:<hex>" of `bytes`
};

class RegistryClient {
public:
    // `host` is what goes in the URL: "127.0.0.1:5000", "registry-1.docker.io".
    RegistryClient(std::string host, RegistryOptions options);
    ~RegistryClient();
    RegistryClient(RegistryClient&&) noexcept;
    RegistryClient& operator=(RegistryClient&&) noexcept;

    // GET /v2/<repository>/manifests/<reference> (a tag or "sha256:..."). A digest reference
    // must match the bytes, and a Docker-Content-Digest header must match them too; otherwise
    // an ErrorCode::download error naming the image.
    Result<ManifestResponse> get_manifest(std::string_view repository, std::string_view reference);

    // The digest a tag points at: HEAD (Docker-Content-Digest), else GET and hash the bytes.
    Result<std::string> resolve_digest(std::string_view repository, std::string_view tag);

    // Every tag of the repository: GET /v2/<repository>/tags/list, following the Link header's
    // pages (at most k_max_tag_pages). ErrorCode::network for a refusal or a missing repository,
    // ErrorCode::download for an answer that is not {"tags": [...]}.
    Result<std::vector<std::string>> list_tags(std::string_view repository);

    // A download of /v2/<repository>/blobs/<digest> for the HttpEngine, with the expected sha256
    // and the credentials the registry wants (a bearer token for pull, or basic). libcurl never
    // forwards them when the registry redirects to a storage host.
    Result<net::DownloadRequest> blob_request(std::string_view repository, std::string_view digest,
                                              std::filesystem::path destination);

    // "https://host" or "http://host".
    [[nodiscard]] std::string base_url() const;
    // How the image is called in messages: "docker.io/library/python:3.11".
    [[nodiscard]] std::string image_name(std::string_view repository, std::string_view reference) const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace gapbundle::sources::oci
