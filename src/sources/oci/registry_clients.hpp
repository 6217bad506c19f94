#pragma once

// One RegistryClient per registry host, configured from the manifest's `registries:` (insecure,
// credentials from the environment variables it names) or else docker's config.json.

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/oci/registry_client.hpp>

#include <map>
#include <string>

namespace gapbundle::sources::oci::detail {

class RegistryClients {
public:
    RegistryClients(const manifest::Manifest& manifest, net::EngineOptions engine)
        : m_manifest(manifest), m_engine(std::move(engine))
    {
    }

    // The client for `registry` as a reference names it ("docker.io", "127.0.0.1:5000").
    // Errors: a credentials variable the manifest names is unset (ErrorCode::usage), or docker's
    // config file is unreadable.
    Result<RegistryClient*> get(const std::string& registry);

private:
    const manifest::Manifest& m_manifest;
    net::EngineOptions m_engine;
    std::map<std::string, RegistryClient> m_clients;
};

}  // namespace gapbundle::sources::oci::detail
