#include "image_spec.hpp"

#include <array>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 2> k_image_keys{"ref", "platforms"};
constexpr std::array<std::string_view, 3> k_registry_keys{"username_env", "password_env", "insecure"};

std::string entry_name(std::size_t index)
{
    return "images[" + std::to_string(index) + "]";
}

Result<std::vector<std::string>> parse_platforms(const YamlReader& reader, const YAML::Node& node,
                                                 const std::string& entry)
{
    if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};  // "platforms: all"
    if (!node.IsSequence() || node.size() == 0)
        return reader.error(node.Mark(), entry + ": 'platforms' must be a list like [linux/amd64, linux/arm64], or all");
    std::vector<std::string> platforms;
    for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty())
            return reader.error(item.Mark(), entry + ": each platform is os/architecture[/variant]");
        platforms.push_back(item.Scalar());
    }
    return platforms;
}

Result<ImageSpec> parse_image(const YamlReader& reader, const YAML::Node& node, std::size_t index)
{
    const auto entry = entry_name(index);
    if (node.IsScalar() && !node.Scalar().empty()) return ImageSpec{node.Scalar(), {}, to_mark(node.Mark())};
    if (!node.IsMap())
        return reader.error(node.Mark(), entry + " must be a reference or a mapping with 'ref' (and optional 'platforms')");
    if (auto st = reader.check_keys(node, k_image_keys, entry); !st) return std::unexpected(st.error());
    if (!node["ref"]) return reader.error(node.Mark(), entry + ": missing 'ref'");
    ImageSpec spec;
    spec.mark = to_mark(node.Mark());
    auto ref = reader.string(node, "ref", entry + ": 'ref'");
    if (!ref) return std::unexpected(ref.error());
    spec.ref = *ref;
    if (const YAML::Node platforms = node["platforms"]) {
        auto list = parse_platforms(reader, platforms, entry);
        if (!list) return std::unexpected(list.error());
        spec.platforms = std::move(*list);
    }
    return spec;
}

Result<RegistrySettings> parse_registry(const YamlReader& reader, const YAML::Node& key, const YAML::Node& value)
{
    RegistrySettings settings;
    settings.host = key.Scalar();
    settings.mark = to_mark(key.Mark());
    const std::string where = "registries: '" + settings.host + "'";
    if (settings.host.empty() || settings.host.find('/') != std::string::npos ||
        settings.host.find("://") != std::string::npos)
        return reader.error(key.Mark(), where + ": a registry is a host[:port], like registry.local:5000");
    if (value.IsNull()) return settings;
    if (!value.IsMap())
        return reader.error(value.Mark(), where + " must be a mapping with username_env/password_env or insecure");
    if (auto st = reader.check_keys(value, k_registry_keys, where); !st) return std::unexpected(st.error());
    auto user = parse_env_name(reader, value, "username_env", where);
    if (!user) return std::unexpected(user.error());
    auto password = parse_env_name(reader, value, "password_env", where);
    if (!password) return std::unexpected(password.error());
    if (user->has_value() != password->has_value())
        return reader.error(value.Mark(), where + ": give both 'username_env' and 'password_env'");
    settings.username_env = *user;
    settings.password_env = *password;
    if (const YAML::Node insecure = value["insecure"]) {
        bool flag = false;
        if (!insecure.IsScalar() || !YAML::convert<bool>::decode(insecure, flag))
            return reader.error(insecure.Mark(), where + ": 'insecure' must be true or false");
        settings.insecure = flag;
    }
    return settings;
}

}  // namespace

Result<std::vector<ImageSpec>> parse_images(const YamlReader& reader, const YAML::Node& images)
{
    if (!images.IsSequence()) return reader.error(images.Mark(), "'images' must be a list");
    std::vector<ImageSpec> specs;
    for (std::size_t i = 0; i < images.size(); ++i) {
        auto spec = parse_image(reader, images[i], i);
        if (!spec) return std::unexpected(spec.error());
        specs.push_back(std::move(*spec));
    }
    return specs;
}

Result<std::vector<RegistrySettings>> parse_registries(const YamlReader& reader, const YAML::Node& registries)
{
    if (!registries.IsMap())
        return reader.error(registries.Mark(), "'registries' must be a mapping of host to settings");
    std::vector<RegistrySettings> result;
    for (const auto& item : registries) {
        if (!item.first.IsScalar()) return reader.error(item.first.Mark(), "'registries': a key must be a host name");
        for (const auto& seen : result)
            if (seen.host == item.first.Scalar())
                return reader.error(item.first.Mark(), "registries: '" + seen.host + "' appears twice");
        auto settings = parse_registry(reader, item.first, item.second);
        if (!settings) return std::unexpected(settings.error());
        result.push_back(std::move(*settings));
    }
    return result;
}

}  // namespace gapbundle::manifest::detail
