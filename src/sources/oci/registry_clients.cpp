#include "registry_clients.hpp"

#include <gapbundle/sources/oci/docker_config.hpp>
#include <gapbundle/sources/oci/reference.hpp>

#include <cstdlib>

namespace gapbundle::sources::oci::detail {

namespace {

Result<std::string> read_env(const manifest::Manifest& manifest, const manifest::RegistrySettings& settings,
                             const std::string& variable, const char* key)
{
    const char* value = std::getenv(variable.c_str());
    if (!value || !*value)
        return fail(ErrorCode::usage, manifest.location(settings.mark) + ": registries: '" + settings.host + "': " + key +
                                          " names " + variable + ", which is not set in the environment");
    return std::string(value);
}

Result<net::Credentials> credentials_for(const manifest::Manifest& manifest, const std::string& registry)
{
    if (const auto* settings = manifest.registry(registry); settings && settings->username_env) {
        auto user = read_env(manifest, *settings, *settings->username_env, "username_env");
        if (!user) return std::unexpected(user.error());
        auto password = read_env(manifest, *settings, *settings->password_env, "password_env");
        if (!password) return std::unexpected(password.error());
        return net::Credentials{net::Credentials::Kind::basic, std::move(*user), std::move(*password)};
    }
    auto from_docker = docker_config_credentials(registry);
    if (!from_docker) return std::unexpected(from_docker.error());
    return from_docker->value_or(net::Credentials{});
}

}  // namespace

Result<RegistryClient*> RegistryClients::get(const std::string& registry)
{
    if (auto it = m_clients.find(registry); it != m_clients.end()) return &it->second;
    RegistryOptions options;
    const auto* settings = m_manifest.registry(registry);
    options.insecure = settings && settings->insecure;
    options.engine = m_engine;
    auto credentials = credentials_for(m_manifest, registry);
    if (!credentials) return std::unexpected(credentials.error());
    options.credentials = std::move(*credentials);
    const std::string host = registry == k_docker_hub ? std::string(k_docker_hub_api_host) : registry;
    auto [it, inserted] = m_clients.emplace(registry, RegistryClient(host, std::move(options)));
    return &it->second;
}

}  // namespace gapbundle::sources::oci::detail
