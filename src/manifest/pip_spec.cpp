#include "pip_spec.hpp"

#include "url.hpp"

#include <array>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 11> k_pip_keys{
    "index",       "extra_indexes", "target",           "requirements", "requirements_files", "constraints",
    "only_binary", "allow_sdist",   "allow_prereleases", "username_env", "password_env"};
constexpr std::array<std::string_view, 3> k_target_keys{"python", "platforms", "implementation"};

Result<bool> parse_flag(const YamlReader& reader, const YAML::Node& map, const char* key)
{
    const YAML::Node node = map[key];
    bool flag = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, flag))
        return reader.error(YamlReader::mark_of(map, key), std::string("pip: '") + key + "' must be true or false");
    return flag;
}

Result<std::string> parse_index_url(const YamlReader& reader, const YAML::Node& node, const std::string& what)
{
    if (!node.IsScalar() || node.Scalar().empty()) return reader.error(node.Mark(), what + " must be a URL");
    std::string text = node.Scalar();
    const auto scheme = url::scheme(text);
    if (!scheme || (*scheme != "http" && *scheme != "https"))
        return reader.error(node.Mark(), what + " must be an http:// or https:// URL, got '" + text + "'");
    if (url::authority(text).find('@') != std::string_view::npos)
        return reader.error(node.Mark(), what + " carries credentials; name them with 'username_env' and "
                                                "'password_env' (or use ~/.netrc): secrets never go in the manifest");
    while (text.ends_with('/')) text.pop_back();
    return text;
}

Result<PipTarget> parse_target(const YamlReader& reader, const YAML::Node& map)
{
    const YAML::Node node = map["target"];
    if (!node || !node.IsMap())
        return reader.error(YamlReader::mark_of(map, "target"),
                            "pip: 'target' must be a mapping with 'python' and 'platforms' (the gap's interpreter)");
    if (auto st = reader.check_keys(node, k_target_keys, "pip: target"); !st) return std::unexpected(st.error());
    PipTarget target;
    target.mark = to_mark(node.Mark());
    if (!node["python"]) return reader.error(node.Mark(), "pip: target: missing 'python' (like \"3.11\")");
    auto python = reader.string(node, "python", "pip: target: 'python'");
    if (!python) return std::unexpected(python.error());
    target.python = *python;
    const YAML::Node platforms = node["platforms"];
    if (!platforms) return reader.error(node.Mark(), "pip: target: missing 'platforms' (like [manylinux_2_28_x86_64])");
    if (!platforms.IsSequence() || platforms.size() == 0)
        return reader.error(YamlReader::mark_of(node, "platforms"),
                            "pip: target: 'platforms' must be a list of wheel platform tags, like [manylinux_2_28_x86_64]");
    for (const auto& item : platforms) {
        if (!item.IsScalar() || item.Scalar().empty())
            return reader.error(item.Mark(), "pip: target: each platform is a wheel platform tag");
        target.platforms.push_back(item.Scalar());
    }
    if (node["implementation"]) {
        auto implementation = reader.string(node, "implementation", "pip: target: 'implementation'");
        if (!implementation) return std::unexpected(implementation.error());
        target.implementation = *implementation;
    }
    return target;
}

Status parse_options(const YamlReader& reader, const YAML::Node& pip, PipSpec& spec)
{
    if (pip["only_binary"]) {
        auto flag = parse_flag(reader, pip, "only_binary");
        if (!flag) return std::unexpected(flag.error());
        spec.only_binary = *flag;
    }
    if (pip["allow_prereleases"]) {
        auto flag = parse_flag(reader, pip, "allow_prereleases");
        if (!flag) return std::unexpected(flag.error());
        spec.allow_prereleases = *flag;
    }
    auto user = parse_env_name(reader, pip, "username_env", "pip");
    if (!user) return std::unexpected(user.error());
    auto password = parse_env_name(reader, pip, "password_env", "pip");
    if (!password) return std::unexpected(password.error());
    if (user->has_value() != password->has_value())
        return reader.error(pip.Mark(), "pip: give both 'username_env' and 'password_env'");
    spec.username_env = *user;
    spec.password_env = *password;
    return {};
}

}  // namespace

Result<PipSpec> parse_pip(const YamlReader& reader, const YAML::Node& pip)
{
    if (!pip.IsMap()) return reader.error(pip.Mark(), "'pip' must be a mapping with 'target' and 'requirements'");
    if (auto st = reader.check_keys(pip, k_pip_keys, "pip"); !st) return std::unexpected(st.error());
    PipSpec spec;
    spec.mark = to_mark(pip.Mark());
    if (pip["index"]) {
        auto index = parse_index_url(reader, pip["index"], "pip: 'index'");
        if (!index) return std::unexpected(index.error());
        spec.index = *index;
    }
    if (const YAML::Node extras = pip["extra_indexes"]; extras && !extras.IsNull()) {
        if (!extras.IsSequence())
            return reader.error(YamlReader::mark_of(pip, "extra_indexes"), "pip: 'extra_indexes' must be a list of URLs");
        for (std::size_t i = 0; i < extras.size(); ++i) {
            auto url = parse_index_url(reader, extras[i], "pip: 'extra_indexes[" + std::to_string(i) + "]'");
            if (!url) return std::unexpected(url.error());
            spec.extra_indexes.push_back(*url);
        }
    }
    auto target = parse_target(reader, pip);
    if (!target) return std::unexpected(target.error());
    spec.target = std::move(*target);

    for (auto [key, lines] : {std::pair{"requirements", &spec.requirements},
                              std::pair{"requirements_files", &spec.requirements_files},
                              std::pair{"constraints", &spec.constraints}, std::pair{"allow_sdist", &spec.allow_sdist}}) {
        auto parsed = text_lines(reader, pip, key, std::string("pip: '") + key + "'");
        if (!parsed) return std::unexpected(parsed.error());
        *lines = std::move(*parsed);
    }
    if (auto st = parse_options(reader, pip, spec); !st) return std::unexpected(st.error());
    return spec;
}

}  // namespace gapbundle::manifest::detail
