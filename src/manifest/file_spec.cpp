#include "file_spec.hpp"

#include "url.hpp"

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace gapbundle::manifest::detail {

namespace {

constexpr std::array<std::string_view, 3> k_file_keys{"url", "sha256", "path"};

std::string entry_name(std::size_t index)
{
    return "files[" + std::to_string(index) + "]";
}

// The reason part of check_relative_path's "unsafe path 'x': reason".
std::string unsafe_reason(const Error& error)
{
    const auto sep = error.message.rfind("': ");
    return sep == std::string::npos ? error.message : error.message.substr(sep + 3);
}

Status check_url(const YamlReader& reader, const YAML::Node& node, const std::string& text, const std::string& entry)
{
    const auto scheme = url::scheme(text);
    if (!scheme) return {};  // a local path
    const auto shown = text::redact_url(text);
    if (*scheme != "http" && *scheme != "https" && *scheme != "file")
        return reader.error(node.Mark(), entry + ": unsupported URL scheme '" + *scheme + "' in '" + shown +
                                             "' (use http://, https://, file:// or a local path)");
    if (url::has_credentials(text))
        return reader.error(node.Mark(), entry + ": '" + shown +
                                             "' carries credentials, which would be written to the lock; "
                                             "put them in ~/.netrc instead");
    const auto host = url::authority(text);
    if (*scheme == "file") {
        if (!host.empty() && host != "localhost")
            return reader.error(node.Mark(), entry + ": '" + text + "' names a remote host; use file:///absolute/path");
        if (url::path(text).empty()) return reader.error(node.Mark(), entry + ": '" + text + "' has no path");
    } else if (host.empty()) {
        return reader.error(node.Mark(), entry + ": '" + shown + "' has no host");
    }
    return {};
}

Result<std::string> parse_sha256(const YamlReader& reader, const YAML::Node& map, const std::string& entry)
{
    const YAML::Node node = map["sha256"];
    auto value = reader.string(map, "sha256", entry + ": 'sha256'");
    if (!value) return value;
    std::string lower = *value;
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!text::is_sha256_hex(lower))
        return reader.error(node.Mark(), entry + ": 'sha256' must be 64 hex digits, got '" + *value + "'");
    return lower;
}

Result<std::string> parse_path(const YamlReader& reader, const YAML::Node& map, const std::string& entry)
{
    const YAML::Node node = map["path"];
    auto value = reader.string(map, "path", entry + ": 'path'");
    if (!value) return value;
    std::string path = *value;
    while (path.size() > 1 && path.back() == '/') path.pop_back();  // "configs/" names the folder "configs"
    if (auto st = fs::check_relative_path(path); !st)
        return reader.error(node.Mark(), entry + ": unsafe path '" + *value + "': " + unsafe_reason(st.error()));
    return path;
}

// The default target: the URL's (or local path's) file name.
Result<std::string> default_target(const YamlReader& reader, const FileSpec& spec, const Manifest& manifest,
                                   const YAML::Mark& mark, const std::string& entry)
{
    const std::string name = spec.is_remote() ? url::file_name(spec.url) : manifest.local_path(spec).filename().string();
    if (name.empty())
        return reader.error(mark, entry + ": cannot take a file name from '" + text::redact_url(spec.url) + "'; add 'path'");
    if (auto st = fs::check_relative_path(name); !st)
        return reader.error(mark, entry + ": the file name '" + name + "' from the URL is unsafe (" +
                                      unsafe_reason(st.error()) + "); add 'path'");
    return name;
}

Result<FileSpec> parse_entry(const YamlReader& reader, const YAML::Node& node, std::size_t index,
                             const Manifest& manifest)
{
    const auto entry = entry_name(index);
    if (!node.IsMap())
        return reader.error(node.Mark(), entry + " must be a mapping with a 'url' (and optional 'sha256', 'path')");
    if (auto st = reader.check_keys(node, k_file_keys, entry); !st) return std::unexpected(st.error());

    FileSpec spec;
    spec.mark = to_mark(node.Mark());
    const YAML::Node url_node = node["url"];
    if (!url_node) return reader.error(node.Mark(), entry + ": missing 'url'");
    auto url_text = reader.string(node, "url", entry + ": 'url'");
    if (!url_text) return std::unexpected(url_text.error());
    if (auto st = check_url(reader, url_node, *url_text, entry); !st) return std::unexpected(st.error());
    spec.url = *url_text;

    if (node["sha256"]) {
        auto value = parse_sha256(reader, node, entry);
        if (!value) return std::unexpected(value.error());
        spec.sha256 = *value;
    }
    if (node["path"]) {
        auto value = parse_path(reader, node, entry);
        if (!value) return std::unexpected(value.error());
        spec.path = *value;
        spec.target = *value;
    } else {
        auto value = default_target(reader, spec, manifest, url_node.Mark(), entry);
        if (!value) return std::unexpected(value.error());
        spec.target = *value;
    }
    return spec;
}

}  // namespace

Result<std::vector<FileSpec>> parse_files(const YamlReader& reader, const YAML::Node& files, const Manifest& manifest)
{
    std::vector<FileSpec> specs;
    if (!files.IsSequence()) return reader.error(files.Mark(), "'files' must be a list");
    std::map<std::string, std::size_t, std::less<>> targets;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const YAML::Node node = files[i];
        auto spec = parse_entry(reader, node, i, manifest);
        if (!spec) return std::unexpected(spec.error());
        const auto [it, inserted] = targets.emplace(spec->target, i);
        if (!inserted) {
            const YAML::Node path = node["path"];
            return reader.error(path ? path.Mark() : node.Mark(),
                                entry_name(i) + ": path '" + spec->target + "' is already used by " +
                                    entry_name(it->second));
        }
        specs.push_back(std::move(*spec));
    }
    return specs;
}

}  // namespace gapbundle::manifest::detail
