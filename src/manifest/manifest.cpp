#include <gapbundle/manifest/manifest.hpp>

#include "conda_spec.hpp"
#include "file_spec.hpp"
#include "helm_spec.hpp"
#include "hf_spec.hpp"
#include "image_spec.hpp"
#include "pip_spec.hpp"
#include "url.hpp"
#include "yaml_reader.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <array>
#include <charconv>

namespace gapbundle::manifest {

namespace {

constexpr std::uint64_t k_max_manifest_bytes = 16u << 20;
constexpr std::array<std::string_view, 12> k_top_keys{"apiVersion", "name",  "channel",    "serial",
                                                      "expires",    "files", "images",     "registries",
                                                      "pip",        "huggingface", "conda", "helm"};

Result<std::string> required_string(const detail::YamlReader& reader, const YAML::Node& root, const char* key)
{
    if (!root[key]) return reader.error(root.Mark(), std::string("missing '") + key + "'");
    return reader.string(root, key, std::string("'") + key + "'");
}

Result<std::uint64_t> parse_serial(const detail::YamlReader& reader, const YAML::Node& root)
{
    const YAML::Node node = root["serial"];
    const auto bad = [&] {
        const std::string got = node.IsScalar() ? ", got '" + node.Scalar() + "'" : "";
        return reader.error(detail::YamlReader::mark_of(root, "serial"), "'serial' must be an unsigned integer" + got);
    };
    if (!node.IsScalar() || node.Scalar().empty()) return bad();
    const std::string& text = node.Scalar();
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) return reader.error(node.Mark(), "'serial' is too large: " + text);
    if (ec != std::errc() || end != text.data() + text.size()) return bad();
    return value;
}

Result<Expiry> parse_expiry(const detail::YamlReader& reader, const YAML::Node& root)
{
    const YAML::Node node = root["expires"];
    auto text = reader.string(root, "expires", "'expires'");
    if (!text) return std::unexpected(text.error());
    if (auto duration = time::parse_duration(*text)) return Expiry{Expiry::Kind::duration, *duration};
    if (auto point = time::parse_rfc3339(*text)) return Expiry{Expiry::Kind::absolute, *point};
    return reader.error(node.Mark(), "'expires' must be a duration (like 30d, 12h, 2w) or an RFC 3339 time "
                                     "(like 2026-12-31T00:00:00Z), got '" + *text + "'");
}

Status parse_top(const detail::YamlReader& reader, const YAML::Node& root, Manifest& manifest)
{
    if (!root.IsMap()) return reader.error(root.Mark(), "a manifest is a mapping with 'apiVersion', 'name' and 'files'");
    if (auto st = reader.check_keys(root, k_top_keys, ""); !st) return st;

    auto api_version = required_string(reader, root, "apiVersion");
    if (!api_version) return std::unexpected(api_version.error());
    if (*api_version != k_api_version)
        return reader.error(root["apiVersion"].Mark(), "unsupported apiVersion '" + *api_version + "' (expected '" +
                                                           std::string(k_api_version) + "')");
    auto name = required_string(reader, root, "name");
    if (!name) return std::unexpected(name.error());
    if (!text::is_safe_name(*name))
        return reader.error(root["name"].Mark(),
                            "invalid name '" + *name + "': use letters, digits, '.', '_' and '-'");
    manifest.name = *name;
    manifest.channel = *name;
    if (root["channel"]) {
        auto channel = reader.string(root, "channel", "'channel'");
        if (!channel) return std::unexpected(channel.error());
        if (!text::is_safe_name(*channel))
            return reader.error(root["channel"].Mark(),
                                "invalid channel '" + *channel + "': use letters, digits, '.', '_' and '-'");
        manifest.channel = *channel;
    }

    if (root["serial"]) {
        auto value = parse_serial(reader, root);
        if (!value) return std::unexpected(value.error());
        manifest.serial = *value;
    }
    if (root["expires"]) {
        auto value = parse_expiry(reader, root);
        if (!value) return std::unexpected(value.error());
        manifest.expires = *value;
    }
    if (const YAML::Node files = root["files"]) {
        if (files.IsNull()) return {};  // "files:" with every entry commented out
        auto specs = detail::parse_files(reader, files, manifest);
        if (!specs) return std::unexpected(specs.error());
        manifest.files = std::move(*specs);
    }
    if (const YAML::Node images = root["images"]; images && !images.IsNull()) {
        auto specs = detail::parse_images(reader, images);
        if (!specs) return std::unexpected(specs.error());
        manifest.images = std::move(*specs);
    }
    if (const YAML::Node registries = root["registries"]; registries && !registries.IsNull()) {
        auto settings = detail::parse_registries(reader, registries);
        if (!settings) return std::unexpected(settings.error());
        manifest.registries = std::move(*settings);
    }
    if (const YAML::Node pip = root["pip"]; pip && !pip.IsNull()) {
        auto spec = detail::parse_pip(reader, pip);
        if (!spec) return std::unexpected(spec.error());
        manifest.pip = std::move(*spec);
    }
    if (const YAML::Node huggingface = root["huggingface"]; huggingface && !huggingface.IsNull()) {
        auto spec = detail::parse_huggingface(reader, huggingface);
        if (!spec) return std::unexpected(spec.error());
        manifest.huggingface = std::move(*spec);
    }
    if (const YAML::Node conda = root["conda"]; conda && !conda.IsNull()) {
        auto spec = detail::parse_conda(reader, conda);
        if (!spec) return std::unexpected(spec.error());
        manifest.conda = std::move(*spec);
    }
    if (const YAML::Node helm = root["helm"]; helm && !helm.IsNull()) {
        auto specs = detail::parse_helm(reader, helm);
        if (!specs) return std::unexpected(specs.error());
        manifest.helm = std::move(*specs);
    }
    return {};
}

// The checks that need every section read and the environment files merged in.
Status check_merged(Manifest& manifest)
{
    if (auto st = detail::merge_environment_files(manifest); !st) return st;
    if (manifest.pip && manifest.pip->requirements.empty() && manifest.pip->requirements_files.empty())
        return fail(ErrorCode::manifest, manifest.location(manifest.pip->mark) +
                                             ": pip: give 'requirements' or 'requirements_files' (or a pip: list in "
                                             "a conda environment file)");
    return {};
}

}  // namespace

bool is_remote_url(std::string_view text)
{
    const auto scheme = url::scheme(text);
    return scheme && (*scheme == "http" || *scheme == "https");
}

bool FileSpec::is_remote() const
{
    return is_remote_url(url);
}

std::filesystem::path Manifest::dir() const
{
    auto parent = file.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

std::filesystem::path Manifest::local_path(const FileSpec& spec) const
{
    std::filesystem::path path = url::scheme(spec.url) ? url::percent_decode(url::path(spec.url)) : spec.url;
    if (path.is_relative()) path = dir() / path;
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    if (!ec) path = std::move(absolute);
    path = path.lexically_normal();
    if (!path.has_filename() && path.has_parent_path() && path != path.root_path()) path = path.parent_path();
    return path;
}

const RegistrySettings* Manifest::registry(std::string_view host) const
{
    for (const auto& settings : registries)
        if (settings.host == host) return &settings;
    return nullptr;
}

std::string Manifest::location(const Mark& mark) const
{
    return detail::format_location(file, mark);
}

Result<Manifest> parse_manifest(std::string_view yaml, const std::filesystem::path& file)
{
    const detail::YamlReader reader(file);
    auto root = detail::load_one_document(reader, yaml);
    if (!root) return std::unexpected(root.error());
    Manifest manifest;
    manifest.file = file;
    manifest.sha256 = crypto::sha256_hex(yaml);
    try {
        if (auto st = parse_top(reader, *root, manifest); !st) return std::unexpected(st.error());
        if (auto st = check_merged(manifest); !st) return std::unexpected(st.error());
    } catch (const YAML::Exception& e) {  // yaml-cpp throws on misuse; keep its mark
        return reader.error(e.mark, e.msg);
    }
    return manifest;
}

Result<Manifest> load_manifest(const std::filesystem::path& file)
{
    auto content = fs::read_small_file(file, k_max_manifest_bytes);
    if (!content) return std::unexpected(content.error());
    return parse_manifest(*content, file);
}

}  // namespace gapbundle::manifest
