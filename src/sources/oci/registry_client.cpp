#include <gapbundle/sources/oci/registry_client.hpp>

#include "registry_auth.hpp"
#include "registry_errors.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/oci/manifest_references.hpp>
#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

namespace gapbundle::sources::oci {

namespace {

using detail::is_success;
using detail::registry_error_detail;

constexpr std::string_view k_sha256_prefix = "sha256:";

// A reference that is a digest rather than a tag (tags cannot hold ':').
bool is_digest(std::string_view reference)
{
    return reference.find(':') != std::string_view::npos;
}

Status check_sha256_digest(std::string_view digest)
{
    if (auto ok = validate_digest(digest); !ok) return ok;
    if (!digest.starts_with(k_sha256_prefix))
        return fail(ErrorCode::usage, "unsupported digest algorithm (only sha256 is supported)");
    return {};
}

// The path of the next page from a Link header, '</v2/...?last=x&n=y>; rel="next"', else "".
std::string next_page(std::string_view link)
{
    if (link.find("rel=\"next\"") == std::string_view::npos) return {};
    const auto open = link.find('<');
    const auto close = link.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) return {};
    const std::string_view target = link.substr(open + 1, close - open - 1);
    if (!target.starts_with("/v2/")) return {};  // another host is never followed
    return std::string(target);
}

std::string registry_name(const std::string& host)
{
    return host == k_docker_hub_api_host ? std::string(k_docker_hub) : host;
}

// Content-Type without parameters.
std::string bare_content_type(const net::HttpResponse& response)
{
    const std::string value = response.header("Content-Type").value_or("");
    return std::string(text::trim(std::string_view(value).substr(0, value.find(';'))));
}

}  // namespace

struct RegistryClient::State {
    std::string host;
    std::string base_url;
    detail::RegistryAuth auth;

    State(std::string h, RegistryOptions options)
        : host(std::move(h)),
          base_url((options.insecure ? "http://" : "https://") + host),
          auth(base_url, host, std::move(options))
    {
    }

    [[nodiscard]] std::string url(std::string_view repository, std::string_view kind, std::string_view reference) const
    {
        return base_url + "/v2/" + std::string(repository) + "/" + std::string(kind) + "/" + std::string(reference);
    }

    // The error for a non-2xx answer about `name`.
    [[nodiscard]] Error status_error(const std::string& name, const net::HttpResponse& response,
                                     std::string_view what) const
    {
        const long status = response.status;
        if (status == 401 || status == 403)
            return Error{ErrorCode::network, name + ": " + detail::access_denied_message(status, host)};
        if (status == 404) {
            const std::string hint = what == "manifest"   ? "does the tag exist?"
                                     : what == "repository" ? "does the repository exist?"
                                                            : "is the digest right?";
            return Error{ErrorCode::network, name + ": " + std::string(what) + " unknown (HTTP 404): " + hint};
        }
        if (status == 429) {
            return Error{ErrorCode::network,
                         name + ": too many requests (HTTP 429), still refused after " +
                             std::to_string(auth.engine().max_attempts) +
                             " attempts: the registry's rate limit; try again later or log in for a higher limit"};
        }
        return Error{ErrorCode::network, name + ": HTTP " + std::to_string(status) + " from " +
                                             text::redact_url(response.effective_url) +
                                             registry_error_detail(response.body)};
    }

    Result<net::HttpResponse> manifest_exchange(std::string_view method, std::string_view repository,
                                                std::string_view reference, const std::string& name)
    {
        net::HttpRequest request;
        request.method = std::string(method);
        request.url = url(repository, "manifests", reference);
        request.headers = {"Accept: " + std::string(media_types::k_manifest_accept)};
        request.max_body = k_max_manifest_bytes;
        auto response = auth.send(std::move(request), detail::pull_scope(repository));
        if (!response) return std::unexpected(response.error().context(name));
        return response;
    }
};

RegistryClient::RegistryClient(std::string host, RegistryOptions options)
    : m_state(std::make_unique<State>(std::move(host), std::move(options)))
{
}

RegistryClient::~RegistryClient() = default;
RegistryClient::RegistryClient(RegistryClient&&) noexcept = default;
RegistryClient& RegistryClient::operator=(RegistryClient&&) noexcept = default;

std::string RegistryClient::base_url() const
{
    return m_state->base_url;
}

std::string RegistryClient::image_name(std::string_view repository, std::string_view reference) const
{
    return registry_name(m_state->host) + "/" + std::string(repository) + (is_digest(reference) ? "@" : ":") + std::string(reference);
}

Result<ManifestResponse> RegistryClient::get_manifest(std::string_view repository, std::string_view reference)
{
    const std::string name = image_name(repository, reference);
    if (is_digest(reference)) {
        if (auto ok = check_sha256_digest(reference); !ok) return std::unexpected(ok.error().context(name));
    }
    auto response = m_state->manifest_exchange("GET", repository, reference, name);
    if (!response) return std::unexpected(response.error());
    if (!is_success(response->status)) return std::unexpected(m_state->status_error(name, *response, "manifest"));

    ManifestResponse manifest;
    manifest.bytes = std::move(response->body);
    manifest.digest = std::string(k_sha256_prefix) + crypto::sha256_hex(manifest.bytes);
    if (is_digest(reference) && manifest.digest != reference)
        return fail(ErrorCode::download,
                    name + ": manifest digest mismatch: the registry sent bytes hashing to " + manifest.digest);
    if (auto claimed = response->header("Docker-Content-Digest");
        claimed && claimed->starts_with(k_sha256_prefix) && *claimed != manifest.digest) {
        return fail(ErrorCode::download, name + ": Docker-Content-Digest " + *claimed +
                                             " does not match the manifest bytes (" + manifest.digest + ")");
    }

    const auto json = nlohmann::json::parse(manifest.bytes, nullptr, false);
    if (!json.is_object()) return fail(ErrorCode::download, name + ": the manifest is not a JSON object");
    const std::string declared = json.contains("mediaType") && json["mediaType"].is_string()
                                     ? json["mediaType"].get<std::string>()
                                     : std::string();
    const std::string content_type = bare_content_type(*response);
    const bool known = media_types::is_index(content_type) || media_types::is_image_manifest(content_type);
    if (known && !declared.empty() && declared != content_type)
        return fail(ErrorCode::download,
                    name + ": the manifest says mediaType " + declared + " but was served as " + content_type);
    manifest.media_type = known ? content_type : declared;
    if (manifest.media_type.empty())
        return fail(ErrorCode::download, name + ": the manifest has no media type (Content-Type " +
                                             (content_type.empty() ? "missing" : content_type) + ")");
    return manifest;
}

Result<std::string> RegistryClient::resolve_digest(std::string_view repository, std::string_view tag)
{
    const std::string name = image_name(repository, tag);
    auto head = m_state->manifest_exchange("HEAD", repository, tag, name);
    if (!head) return std::unexpected(head.error());
    if (is_success(head->status)) {
        if (auto digest = head->header("Docker-Content-Digest"); digest && check_sha256_digest(*digest)) return *digest;
    } else if (const long s = head->status; s == 401 || s == 403 || s == 404 || s == 429) {
        return std::unexpected(m_state->status_error(name, *head, "manifest"));  // GET would not do better
    }
    auto manifest = get_manifest(repository, tag);
    if (!manifest) return std::unexpected(manifest.error());
    return manifest->digest;
}

Result<std::vector<std::string>> RegistryClient::list_tags(std::string_view repository)
{
    const std::string name = registry_name(m_state->host) + "/" + std::string(repository);
    std::vector<std::string> tags;
    std::string next = "/v2/" + std::string(repository) + "/tags/list";
    for (int page = 0; !next.empty(); ++page) {
        if (page == k_max_tag_pages)
            return fail(ErrorCode::download, name + ": more than " + std::to_string(k_max_tag_pages) + " pages of tags");
        net::HttpRequest request;
        request.url = m_state->base_url + next;
        request.headers = {"Accept: application/json"};
        auto response = m_state->auth.send(std::move(request), detail::pull_scope(repository));
        if (!response) return std::unexpected(response.error().context(name));
        if (!is_success(response->status)) return std::unexpected(m_state->status_error(name, *response, "repository"));
        const auto json = nlohmann::json::parse(response->body, nullptr, false);
        if (!json.is_object() || !json.contains("tags"))
            return fail(ErrorCode::download, name + ": the tag list is not a JSON object with 'tags'");
        if (json["tags"].is_null()) break;  // distribution answers an empty repository with null
        if (!json["tags"].is_array()) return fail(ErrorCode::download, name + ": 'tags' is not a list");
        for (const auto& tag : json["tags"])
            if (tag.is_string()) tags.push_back(tag.get<std::string>());
        next = next_page(response->header("Link").value_or(""));
    }
    return tags;
}

Result<net::DownloadRequest> RegistryClient::blob_request(std::string_view repository, std::string_view digest,
                                                          std::filesystem::path destination)
{
    const std::string name = image_name(repository, digest);
    if (auto ok = check_sha256_digest(digest); !ok) return std::unexpected(ok.error().context(name));
    auto credentials = m_state->auth.credentials_for(detail::pull_scope(repository));
    if (!credentials) return std::unexpected(credentials.error().context(name));

    net::DownloadRequest request;
    request.url = m_state->url(repository, "blobs", digest);
    request.destination = std::move(destination);
    request.expected_sha256 = std::string(digest.substr(k_sha256_prefix.size()));
    request.credentials = std::move(*credentials);
    request.label = name;
    return request;
}

}  // namespace gapbundle::sources::oci
