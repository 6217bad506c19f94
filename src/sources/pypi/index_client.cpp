#include <gapbundle/sources/pypi/index_client.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/version.hpp>
#include <gapbundle/sources/pypi/wheel_metadata.hpp>
#include <gapbundle/sources/pypi/wheel_name.hpp>
#include <gapbundle/util/text.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace gapbundle::sources::pypi {

namespace {

constexpr std::uint64_t k_max_page = 64ull << 20;
constexpr std::uint64_t k_max_metadata = 8ull << 20;

std::unexpected<Error> status_error(std::string_view url, long status, std::string_view index)
{
    if (status == 401 || status == 403)
        return fail(ErrorCode::download, "access denied (HTTP " + std::to_string(status) + ") to " +
                                             text::redact_url(url) + "; check the credentials for " +
                                             text::redact_url(index));
    return fail(ErrorCode::download, text::redact_url(url) + ": HTTP status " + std::to_string(status));
}

bool same_version(std::string_view a, std::string_view b)
{
    auto va = Version::parse(a);
    auto vb = Version::parse(b);
    return va && vb ? *va == *vb : a == b;
}

Status check_against_name(const CoreMetadata& metadata, const IndexFile& file)
{
    auto wheel = parse_wheel_name(file.filename);
    if (!wheel) return {};
    if (canonical_name(metadata.name) != wheel->canonical_name || !same_version(metadata.version, wheel->version))
        return fail(ErrorCode::download, file.filename + ": its metadata is for " + metadata.name + " " +
                                             metadata.version + ", not " + wheel->name + " " + wheel->version);
    return {};
}

}  // namespace

IndexClient::IndexClient(std::string index_url, net::Credentials credentials, net::EngineOptions options)
    : m_index_url(std::move(index_url)), m_credentials(std::move(credentials)), m_options(std::move(options))
{
    while (m_index_url.ends_with('/')) m_index_url.pop_back();
}

net::Credentials IndexClient::credentials_for(std::string_view url) const
{
    if (text::url_origin(url) == text::url_origin(m_index_url)) return m_credentials;
    return {};
}

Result<ProjectPage> IndexClient::project(std::string_view name)
{
    auto page = find_project(name);
    if (!page) return std::unexpected(page.error());
    if (!*page) return fail(ErrorCode::download, "no project '" + std::string(name) + "' on " + text::redact_url(m_index_url));
    return std::move(**page);
}

Result<std::optional<ProjectPage>> IndexClient::find_project(std::string_view name)
{
    const std::string canonical = canonical_name(name);
    if (auto it = m_pages.find(canonical); it != m_pages.end()) return it->second;
    net::HttpRequest request;
    request.url = m_index_url + "/" + canonical + "/";
    request.headers = {"Accept: " + std::string(k_simple_accept)};
    request.credentials = m_credentials;
    request.max_body = k_max_page;
    auto response = net::send(request, m_options);
    if (!response) return std::unexpected(response.error());
    if (response->status == 404) return m_pages.emplace(canonical, std::nullopt).first->second;
    if (response->status != 200) return status_error(request.url, response->status, m_index_url);
    auto page = parse_project_page(response->body, response->header("Content-Type").value_or(""),
                                   response->effective_url.empty() ? request.url : response->effective_url);
    if (!page) return std::unexpected(page.error());
    return m_pages.emplace(canonical, std::move(*page)).first->second;
}

Result<std::string> IndexClient::metadata_file(const IndexFile& file, bool& missing)
{
    net::HttpRequest request;
    request.url = file.url + ".metadata";
    request.credentials = credentials_for(request.url);
    request.max_body = k_max_metadata;
    const std::string where = text::redact_url(request.url);
    auto response = net::send(request, m_options);
    if (!response) return std::unexpected(response.error());
    missing = response->status == 404;
    if (response->status != 200) return status_error(request.url, response->status, m_index_url);
    if (file.metadata_sha256) {
        const std::string actual = crypto::sha256_hex(response->body);
        if (actual != *file.metadata_sha256)
            return fail(ErrorCode::download, where + ": sha256 mismatch: the index says " + *file.metadata_sha256 +
                                                 ", the file has " + actual);
    }
    return std::move(response->body);
}

Result<std::string> IndexClient::metadata_text(const IndexFile& file)
{
    if (file.has_metadata) {
        bool missing = false;
        auto text = metadata_file(file, missing);
        if (text || !missing) return text;
        spdlog::debug("{}: no .metadata file despite the index; reading the wheel", text::redact_url(file.url));
    }
    if (!file.filename.ends_with(".whl"))
        return fail(ErrorCode::download, file.filename + ": no core metadata without building the sdist");
    auto wheel = read_wheel_metadata(file.url, file.filename, credentials_for(file.url), m_options);
    if (!wheel) return std::unexpected(wheel.error());
    return std::move(wheel->text);
}

Result<CoreMetadata> IndexClient::metadata(const IndexFile& file)
{
    if (auto it = m_metadata.find(file.url); it != m_metadata.end()) return it->second;
    auto text = metadata_text(file);
    if (!text) return std::unexpected(text.error());
    auto metadata = parse_core_metadata(*text, text::redact_url(file.url));
    if (!metadata) return std::unexpected(metadata.error());
    if (auto ok = check_against_name(*metadata, file); !ok) return std::unexpected(ok.error());
    return m_metadata.emplace(file.url, std::move(*metadata)).first->second;
}

}  // namespace gapbundle::sources::pypi
