#include <gapbundle/sources/oci/docker_config.hpp>

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <system_error>

namespace gapbundle::sources::oci {

namespace {

constexpr std::uint64_t k_max_config_bytes = 4u << 20;

// "https://index.docker.io/v1/" → "index.docker.io"; "host:5000" stays.
std::string_view key_host(std::string_view key)
{
    if (const auto scheme = key.find("://"); scheme != std::string_view::npos) key.remove_prefix(scheme + 3);
    return key.substr(0, key.find('/'));
}

bool names_registry(std::string_view key, std::string_view registry)
{
    const std::string_view host = key_host(key);
    if (host == registry) return true;
    const auto is_hub = [](std::string_view h) {
        return h == "docker.io" || h == "index.docker.io" || h == "registry-1.docker.io";
    };
    return is_hub(registry) && is_hub(host);
}

Result<net::Credentials> entry_credentials(const nlohmann::json& entry, const std::string& where)
{
    const auto bad = [&](const std::string& why) { return fail(ErrorCode::usage, where + ": " + why); };
    if (!entry.is_object()) return bad("an entry of \"auths\" must be an object");
    net::Credentials credentials;
    credentials.kind = net::Credentials::Kind::basic;
    if (const auto auth = entry.find("auth"); auth != entry.end() && auth->is_string() && !auth->get<std::string>().empty()) {
        auto decoded = text::base64_decode(auth->get<std::string>());
        if (!decoded) return bad("\"auth\" is not base64");
        const std::string pair(decoded->begin(), decoded->end());
        const auto colon = pair.find(':');
        if (colon == std::string::npos || colon == 0) return bad("\"auth\" does not decode to user:password");
        credentials.user = pair.substr(0, colon);
        credentials.secret = pair.substr(colon + 1);
        return credentials;
    }
    const auto user = entry.find("username");
    const auto password = entry.find("password");
    if (user != entry.end() && password != entry.end() && user->is_string() && password->is_string()) {
        credentials.user = user->get<std::string>();
        credentials.secret = password->get<std::string>();
        return credentials;
    }
    return net::Credentials{};  // e.g. an identitytoken or a helper's placeholder
}

}  // namespace

std::filesystem::path docker_config_path()
{
    if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return std::filesystem::path(dir) / "config.json";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : "/root") / ".docker" / "config.json";
}

Result<std::optional<net::Credentials>> docker_config_credentials(std::string_view registry,
                                                                  const std::filesystem::path& config_file)
{
    std::error_code ec;
    if (!std::filesystem::exists(config_file, ec)) return std::nullopt;
    auto content = fs::read_small_file(config_file, k_max_config_bytes);
    if (!content) return std::unexpected(content.error());
    const std::string where = config_file.string();
    const auto json = nlohmann::json::parse(*content, nullptr, false);
    if (!json.is_object()) return fail(ErrorCode::usage, where + ": not a JSON object");
    const auto auths = json.find("auths");
    if (auths == json.end()) return std::nullopt;
    if (!auths->is_object()) return fail(ErrorCode::usage, where + ": \"auths\" must be an object");
    for (const auto& [key, entry] : auths->items()) {
        if (!names_registry(key, registry)) continue;
        auto credentials = entry_credentials(entry, where + ": auths \"" + key + "\"");
        if (!credentials) return std::unexpected(credentials.error());
        if (credentials->kind != net::Credentials::Kind::none) return *credentials;
    }
    return std::nullopt;
}

Result<std::optional<net::Credentials>> docker_config_credentials(std::string_view registry)
{
    return docker_config_credentials(registry, docker_config_path());
}

}  // namespace gapbundle::sources::oci
