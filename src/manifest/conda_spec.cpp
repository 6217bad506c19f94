#include "conda_spec.hpp"

#include "url.hpp"

#include <gapbundle/manifest/conda_environment.hpp>

#include <algorithm>
#include <array>
#include <functional>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 5> k_conda_keys{"channels", "subdirs", "virtual_packages", "specs",
                                                       "environment_files"};
// conda's known subdirs (conda/base/constants.py KNOWN_SUBDIRS, the ones still built for).
constexpr std::array<std::string_view, 16> k_subdirs{
    "noarch",      "linux-64",      "linux-aarch64", "linux-ppc64le", "linux-s390x", "linux-armv7l",
    "linux-armv6l", "linux-32",     "osx-64",        "osx-arm64",     "win-64",      "win-arm64",
    "win-32",      "emscripten-wasm32", "wasi-wasm32", "zos-z"};

Result<std::vector<TextLine>> parse_lines(const YamlReader& reader, const YAML::Node& map, const char* key)
{
    return text_lines(reader, map, key, std::string("conda: '") + key + "'");
}

// A channel name ("conda-forge", "pytorch/label/nightly") or an http(s):// URL, never
// with credentials. "nodefaults" is dropped: gapbundle never adds conda's defaults by itself.
Result<std::optional<std::string>> check_channel(const std::string& text, const std::string& where)
{
    if (text == "nodefaults") return std::optional<std::string>{};
    if (const auto scheme = url::scheme(text)) {
        if (*scheme == "file")
            return fail(ErrorCode::manifest, where + ": channel '" + text + "': file:// channels are not supported "
                                                     "yet; serve the folder over http");
        if (*scheme != "http" && *scheme != "https")
            return fail(ErrorCode::manifest, where + ": channel '" + text + "' must be a name or an http:// or "
                                                     "https:// URL");
        if (url::authority(text).find('@') != std::string_view::npos || text.find("/t/") != std::string::npos)
            return fail(ErrorCode::manifest, where + ": channel '" + text.substr(0, text.find("//") + 2) +
                                                 "…' carries credentials or a token: secrets never go in the manifest");
        return std::optional<std::string>{text};
    }
    const bool plain = std::ranges::all_of(text, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '/';
    });
    if (!plain || text.front() == '/' || text.back() == '/' || text.find("..") != std::string::npos)
        return fail(ErrorCode::manifest, where + ": channel '" + text + "' must be a name (like conda-forge) or a URL");
    return std::optional<std::string>{text};
}

Status add_channels(std::vector<TextLine>& channels, const std::vector<TextLine>& lines,
                    const std::function<std::string(const Mark&)>& location)
{
    for (const auto& line : lines) {
        auto channel = check_channel(line.text, location(line.mark));
        if (!channel) return std::unexpected(channel.error());
        if (!*channel) continue;
        if (std::ranges::none_of(channels, [&](const TextLine& known) { return known.text == **channel; }))
            channels.push_back(line);
    }
    return {};
}

Result<std::vector<std::string>> parse_subdirs(const YamlReader& reader, const YAML::Node& conda)
{
    const YAML::Node node = conda["subdirs"];
    if (!node.IsSequence() || node.size() == 0)
        return reader.error(YamlReader::mark_of(conda, "subdirs"),
                            "conda: 'subdirs' must be a list with the target's platform, like [linux-64, noarch]");
    std::optional<std::string> platform;
    for (const auto& item : node) {
        const std::string text = item.IsScalar() ? item.Scalar() : "";
        if (std::ranges::find(k_subdirs, text) == k_subdirs.end()) {
            const auto hint = closest_word(text, k_subdirs);
            return reader.error(item.Mark(), "conda: '" + text + "' is not a conda subdir" +
                                                 (hint ? " (did you mean '" + std::string(*hint) + "'?)"
                                                       : " (like linux-64, osx-arm64, noarch)"));
        }
        if (text == "noarch") continue;
        if (platform && *platform != text)
            return reader.error(item.Mark(), "conda: 'subdirs' names two platforms, " + *platform + " and " + text +
                                                 ": a manifest describes one target (write one manifest per platform)");
        platform = text;
    }
    std::vector<std::string> subdirs;
    if (platform) subdirs.push_back(*platform);
    subdirs.emplace_back("noarch");
    return subdirs;
}

Result<std::map<std::string, std::string>> parse_virtual_packages(const YamlReader& reader, const YAML::Node& conda)
{
    const YAML::Node node = conda["virtual_packages"];
    std::map<std::string, std::string> packages;
    if (!node || node.IsNull()) return packages;
    if (!node.IsMap())
        return reader.error(YamlReader::mark_of(conda, "virtual_packages"),
                            "conda: 'virtual_packages' must be a mapping like { __glibc: \"2.28\", __cuda: \"12.4\" }");
    for (const auto& item : node) {
        if (!item.first.IsScalar()) return reader.error(item.first.Mark(), "conda: virtual_packages: keys are names");
        const std::string name = item.first.Scalar();
        if (!name.starts_with("__") || name.size() < 3)
            return reader.error(item.first.Mark(), "conda: virtual_packages: '" + name +
                                                       "' is not a virtual package (their names start with '__', like __glibc)");
        if (!item.second.IsScalar() || item.second.Scalar().empty())
            return reader.error(item.first.Mark(), "conda: virtual_packages: '" + name + "' needs a version, like \"2.28\"");
        if (!packages.emplace(name, item.second.Scalar()).second)
            return reader.error(item.first.Mark(), "conda: virtual_packages: '" + name + "' is given twice");
    }
    return packages;
}

// Appends an environment file's pip lines to the manifest's pip section: requirements as they
// are, `-r FILE` as a requirements file (FILE relative to the environment file).
Status merge_pip_lines(Manifest& manifest, const CondaEnvironment& environment)
{
    if (environment.pip.empty()) return {};
    if (!manifest.pip)
        return fail(ErrorCode::manifest, environment.location(environment.pip.front().mark) +
                                             ": this environment file has a pip: list, which needs the manifest's "
                                             "'pip:' section with its 'target' (the gap's Python)");
    for (auto line : environment.pip) {
        line.mark.file = environment.file;
        std::string_view text = line.text;
        std::optional<std::string_view> include;
        for (const std::string_view flag : {"-r ", "--requirement ", "--requirement=", "-r"})
            if (!include && text.starts_with(flag)) include = text.substr(flag.size());
        if (include) {
            while (!include->empty() && include->front() == ' ') include->remove_prefix(1);
            std::filesystem::path path(*include);
            if (path.is_relative()) path = environment.file.parent_path() / path;
            std::error_code ec;
            auto absolute = std::filesystem::absolute(path, ec);
            line.text = (ec ? path : absolute).lexically_normal().string();
            manifest.pip->requirements_files.push_back(std::move(line));
        } else if (text.starts_with('-')) {
            return fail(ErrorCode::manifest, environment.location(line.mark) + ": pip option '" + line.text +
                                                 "' is not read from an environment file; set it in the manifest's "
                                                 "'pip:' section");
        } else {
            manifest.pip->requirements.push_back(std::move(line));
        }
    }
    return {};
}

}  // namespace

Result<CondaSpec> parse_conda(const YamlReader& reader, const YAML::Node& node)
{
    if (!node.IsMap()) return reader.error(node.Mark(), "'conda' must be a mapping with 'channels', 'subdirs' and 'specs'");
    if (auto st = reader.check_keys(node, k_conda_keys, "conda"); !st) return std::unexpected(st.error());
    CondaSpec spec;
    spec.mark = to_mark(node.Mark());
    if (!node["subdirs"])
        return reader.error(node.Mark(), "conda: missing 'subdirs', the target's platform (like [linux-64, noarch])");
    auto subdirs = parse_subdirs(reader, node);
    if (!subdirs) return std::unexpected(subdirs.error());
    spec.subdirs = std::move(*subdirs);
    auto virtual_packages = parse_virtual_packages(reader, node);
    if (!virtual_packages) return std::unexpected(virtual_packages.error());
    spec.virtual_packages = std::move(*virtual_packages);

    auto channels = parse_lines(reader, node, "channels");
    if (!channels) return std::unexpected(channels.error());
    const auto location = [&](const Mark& mark) { return format_location(reader.file(), mark); };
    if (auto st = add_channels(spec.channels, *channels, location); !st) return std::unexpected(st.error());
    for (auto [key, lines] : {std::pair{"specs", &spec.specs}, std::pair{"environment_files", &spec.environment_files}}) {
        auto parsed = parse_lines(reader, node, key);
        if (!parsed) return std::unexpected(parsed.error());
        *lines = std::move(*parsed);
    }
    return spec;
}

Status merge_environment_files(Manifest& manifest)
{
    if (!manifest.conda) return {};
    auto& conda = *manifest.conda;
    for (const auto& line : conda.environment_files) {
        std::filesystem::path path = line.text;
        if (path.is_relative()) path = manifest.dir() / path;
        std::error_code ec;
        if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))  // a FIFO would block
            return fail(ErrorCode::manifest, manifest.location(line.mark) + ": conda: environment_files: " +
                                                 path.string() + " is not a regular file");
        auto environment = load_conda_environment(path);
        if (!environment)  // a file the manifest names and that is not there is the manifest's fault
            return fail(ErrorCode::manifest,
                        environment.error().context(manifest.location(line.mark) + ": conda: environment_files").message);
        const auto location = [&](const Mark& mark) { return environment->location(mark); };
        for (auto& channel : environment->channels) channel.mark.file = path;
        if (auto st = add_channels(conda.channels, environment->channels, location); !st) return st;
        for (auto spec : environment->specs) {
            spec.mark.file = path;
            conda.specs.push_back(std::move(spec));
        }
        if (auto st = merge_pip_lines(manifest, *environment); !st) return st;
    }
    if (conda.channels.empty())
        return fail(ErrorCode::manifest, manifest.location(conda.mark) +
                                             ": conda: no channels: list 'channels' (like [conda-forge]), here or in "
                                             "an environment file");
    if (conda.specs.empty())
        return fail(ErrorCode::manifest, manifest.location(conda.mark) +
                                             ": conda: no specs: list 'specs' (like [\"python=3.11\"]) or "
                                             "'environment_files'");
    return {};
}

}  // namespace gapbundle::manifest::detail
