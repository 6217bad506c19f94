#pragma once

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/pypi/core_metadata.hpp>
#include <gapbundle/sources/pypi/index_page.hpp>
#include <gapbundle/util/error.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::pypi {

// One Python package index (PEP 503/691 Simple API). Project pages and metadata are cached for
// the client's life. Not thread-safe.
class IndexClient {
public:
    // `index_url` is the Simple API root, "https://pypi.org/simple". The credentials go to the
    // index's own host only (file URLs on another host get none; netrc per EngineOptions).
    IndexClient(std::string index_url, net::Credentials credentials, net::EngineOptions options);

    // GET {index}/{canonical name}/, JSON or HTML by Content-Type. ErrorCode::download for a
    // missing project ("no project 'x' on INDEX") and for 401/403 ("access denied ... check the
    // credentials for INDEX"); the secret is never in a message.
    Result<ProjectPage> project(std::string_view name);
    // The same, with nullopt for a project the index does not have (404).
    Result<std::optional<ProjectPage>> find_project(std::string_view name);

    // A wheel's core metadata: the PEP 658/714 "<url>.metadata" file when the index has one
    // (checked against its sha256), else METADATA read out of the wheel with Range requests.
    // Name and version must agree with the file name.
    Result<CoreMetadata> metadata(const IndexFile& file);

    [[nodiscard]] const std::string& index_url() const { return m_index_url; }

private:
    Result<std::string> metadata_text(const IndexFile& file);
    Result<std::string> metadata_file(const IndexFile& file, bool& missing);
    [[nodiscard]] net::Credentials credentials_for(std::string_view url) const;

    std::string m_index_url;  // without a trailing '/'
    net::Credentials m_credentials;
    net::EngineOptions m_options;
    std::map<std::string, std::optional<ProjectPage>, std::less<>> m_pages;  // by canonical name; nullopt: 404
    std::map<std::string, CoreMetadata, std::less<>> m_metadata;  // by file URL
};

}  // namespace gapbundle::sources::pypi
