#include <gapbundle/sources/helm/chart_push.hpp>

#include "../oci/push_session.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/helm/chart.hpp>
#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/fs.hpp>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>

namespace gapbundle::sources::helm {

namespace {

using ordered_json = nlohmann::ordered_json;

// helm's chart.Metadata, in its field order.
constexpr std::array<std::string_view, 17> k_metadata_keys{
    "name",        "home",      "sources", "version",    "description", "keywords",    "maintainers",  "icon", "apiVersion",
    "condition",   "tags",      "appVersion", "deprecated", "annotations", "kubeVersion", "dependencies", "type"};

// YAML to JSON: scalars stay strings except where helm's type is a bool (deprecated, enabled).
ordered_json to_json(const YAML::Node& node, std::string_view key)
{
    if (node.IsMap()) {
        ordered_json out = ordered_json::object();
        for (const auto& item : node) out[item.first.as<std::string>()] = to_json(item.second, item.first.as<std::string>());
        return out;
    }
    if (node.IsSequence()) {
        ordered_json out = ordered_json::array();
        for (const auto& item : node) out.push_back(to_json(item, key));
        return out;
    }
    if (node.IsScalar()) {
        if (key == "deprecated" || key == "enabled") {
            bool value = false;
            if (YAML::convert<bool>::decode(node, value)) return value;
        }
        return node.Scalar();
    }
    return nullptr;
}

struct Blob {
    oci::detail::BlobSource source;
    std::string media_type;
};

Result<Blob> file_blob(const std::filesystem::path& file, std::string_view media_type)
{
    auto digest = crypto::sha256_file(file);
    if (!digest) return std::unexpected(digest.error());
    return Blob{{file, "sha256:" + digest->sha256, digest->size}, std::string(media_type)};
}

ordered_json descriptor(const Blob& blob)
{
    return {{"mediaType", blob.media_type}, {"digest", blob.source.digest}, {"size", blob.source.size}};
}

}  // namespace

Result<std::string> chart_config_json(std::string_view chart_yaml, std::string_view where)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(chart_yaml));
    } catch (const YAML::Exception& e) {
        return fail(ErrorCode::verification, std::string(where) + ": Chart.yaml: " + e.msg);
    }
    if (!root.IsMap()) return fail(ErrorCode::verification, std::string(where) + ": Chart.yaml is not a mapping");
    ordered_json config = ordered_json::object();
    for (const auto key : k_metadata_keys) {
        const YAML::Node value = root[std::string(key)];
        if (value && !value.IsNull()) config[std::string(key)] = to_json(value, key);
    }
    return config.dump();
}

Result<ChartPushResult> push_chart(const std::filesystem::path& archive,
                                   const std::optional<std::filesystem::path>& provenance,
                                   const oci::PushOptions& options)
{
    const std::string where = archive.filename().string();
    auto bytes = fs::read_small_file(archive, k_max_subchart_bytes);
    if (!bytes) return std::unexpected(bytes.error());
    auto chart = read_chart_archive(*bytes, where);
    if (!chart) return std::unexpected(Error{ErrorCode::verification, chart.error().message});
    auto config_json = chart_config_json(chart->chart_yaml, where);
    if (!config_json) return std::unexpected(config_json.error());

    const std::string& name = chart->metadata.name;
    std::string tag = chart->metadata.version;
    std::ranges::replace(tag, '+', '_');
    const std::string repository = options.prefix.empty() ? name : options.prefix + "/" + name;
    ChartPushResult result;
    result.destination = options.registry + "/" + repository + ":" + tag;
    if (auto valid = oci::parse_reference(result.destination); !valid)
        return fail(ErrorCode::usage, where + ": cannot push as " + result.destination + ": " + valid.error().message);

    auto layer = file_blob(archive, k_chart_media_type);
    if (!layer) return std::unexpected(layer.error());
    std::vector<Blob> layers{std::move(*layer)};
    if (provenance) {
        auto prov = file_blob(*provenance, k_prov_media_type);
        if (!prov) return std::unexpected(prov.error());
        layers.push_back(std::move(*prov));
    }
    // The session uploads from files: the config goes in a private temp folder for the push.
    auto scratch = fs::TempDir::create(std::filesystem::temp_directory_path(), "gapbundle-chart-push");
    if (!scratch) return std::unexpected(scratch.error());
    const auto config_file = scratch->path() / "config.json";
    if (auto st = fs::write_file_atomic(config_file, *config_json, 0644, fs::AtomicFile::Sync::rename_only); !st) return std::unexpected(st.error());
    const Blob config{{config_file, "sha256:" + crypto::sha256_hex(*config_json), config_json->size()},
                      std::string(k_config_media_type)};

    ordered_json manifest = {{"schemaVersion", 2},
                             {"mediaType", std::string(oci::media_types::k_oci_manifest)},
                             {"config", descriptor(config)},
                             {"layers", ordered_json::array()}};
    for (const auto& blob : layers) manifest["layers"].push_back(descriptor(blob));
    manifest["annotations"] = {{"org.opencontainers.image.title", name},
                               {"org.opencontainers.image.version", chart->metadata.version}};
    const std::string manifest_bytes = manifest.dump();
    result.digest = "sha256:" + crypto::sha256_hex(manifest_bytes);

    oci::detail::PushSession session(options.registry, options.connection);
    const auto named = [&](const Error& error) { return std::unexpected(error.context(result.destination)); };
    std::vector<const Blob*> blobs{&config};
    for (const auto& blob : layers) blobs.push_back(&blob);
    for (const Blob* blob : blobs) {
        auto exists = session.blob_exists(repository, blob->source.digest);
        if (!exists) return named(exists.error());
        if (*exists) {
            ++result.counts.blobs_present;
            continue;
        }
        oci::detail::ChunkPolicy policy{options.monolithic_max, options.chunk_size};
        if (auto ok = session.upload_blob(repository, blob->source, {}, policy); !ok) return named(ok.error());
        ++result.counts.blobs_uploaded;
        result.counts.bytes_uploaded += blob->source.size;
    }
    const std::string media_type(oci::media_types::k_oci_manifest);
    auto by_digest = session.manifest_digest(repository, result.digest, media_type);
    if (!by_digest) return named(by_digest.error());
    if (*by_digest) {
        ++result.counts.manifests_present;
    } else {
        if (auto ok = session.put_manifest(repository, result.digest, manifest_bytes, media_type, result.digest); !ok)
            return named(ok.error());
        ++result.counts.manifests_pushed;
    }
    auto by_tag = session.manifest_digest(repository, tag, media_type);
    if (!by_tag) return named(by_tag.error());
    if (*by_tag && **by_tag == result.digest) {
        ++result.counts.tags_present;
    } else {
        if (auto ok = session.put_manifest(repository, tag, manifest_bytes, media_type, result.digest); !ok)
            return named(ok.error());
        ++result.counts.tags_set;
    }
    return result;
}

}  // namespace gapbundle::sources::helm
