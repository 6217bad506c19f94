#include <gapbundle/manifest/conda_environment.hpp>

#include <gapbundle/util/fs.hpp>

#include "yaml_reader.hpp"

#include <array>

namespace gapbundle::manifest {

namespace {

using detail::to_mark;
using detail::YamlReader;

constexpr std::array<std::string_view, 5> k_keys{"name", "channels", "dependencies", "prefix", "variables"};
constexpr std::uint64_t k_max_environment_bytes = 1 << 20;

Status parse_dependencies(const YamlReader& reader, const YAML::Node& root, CondaEnvironment& environment)
{
    const YAML::Node list = root["dependencies"];
    if (!list || list.IsNull()) return {};
    if (!list.IsSequence()) return reader.error(YamlReader::mark_of(root, "dependencies"), "'dependencies' must be a list");
    bool pip_seen = false;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string what = "dependencies[" + std::to_string(i) + "]";
        if (item.IsScalar() && !item.Scalar().empty()) {
            environment.specs.push_back(EnvironmentLine{item.Scalar(), to_mark(item.Mark())});
            continue;
        }
        if (!item.IsMap() || item.size() != 1 || !item["pip"])
            return reader.error(item.Mark(), what + " must be a conda spec (like \"numpy<2\") or a 'pip:' list");
        if (pip_seen) return reader.error(item.Mark(), what + ": a second 'pip:' list (give one)");
        pip_seen = true;
        auto pip = detail::text_lines(reader, item, "pip", what + ": 'pip'");
        if (!pip) return std::unexpected(pip.error());
        environment.pip = std::move(*pip);
    }
    return {};
}

}  // namespace

std::string CondaEnvironment::location(const Mark& mark) const
{
    return detail::format_location(file, mark);
}

Result<CondaEnvironment> parse_conda_environment(std::string_view yaml, const std::filesystem::path& file)
{
    const YamlReader reader(file);
    auto root = detail::load_one_document(reader, yaml);
    if (!root) return std::unexpected(root.error());
    if (!root->IsMap())
        return reader.error(root->Mark(), "an environment file is a mapping with 'channels' and 'dependencies'");
    if (auto st = reader.check_keys(*root, k_keys, ""); !st) return std::unexpected(st.error());
    CondaEnvironment environment;
    environment.file = file;
    if ((*root)["name"]) {
        auto name = reader.string(*root, "name", "'name'");
        if (!name) return std::unexpected(name.error());
        environment.name = *name;
    }
    auto channels = detail::text_lines(reader, *root, "channels", "'channels'");
    if (!channels) return std::unexpected(channels.error());
    environment.channels = std::move(*channels);
    if (auto st = parse_dependencies(reader, *root, environment); !st) return std::unexpected(st.error());
    if (environment.specs.empty() && environment.pip.empty())
        return reader.error(root->Mark(), "no 'dependencies': the environment asks for nothing");
    return environment;
}

Result<CondaEnvironment> load_conda_environment(const std::filesystem::path& file)
{
    auto content = fs::read_small_file(file, k_max_environment_bytes);
    if (!content) return std::unexpected(content.error().context("environment file"));
    return parse_conda_environment(*content, file);
}

}  // namespace gapbundle::manifest
