#include "archive_plan.hpp"

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/platform.hpp>

#include <algorithm>

namespace gapbundle::sources::oci::detail {

namespace {

namespace mt = media_types;

constexpr std::string_view k_ref_name_annotation = "org.opencontainers.image.ref.name";
constexpr std::string_view k_containerd_name_annotation = "io.containerd.image.name";

std::string display_name(const LayoutEntry& entry)
{
    return entry.ref ? entry.ref->to_string() : entry.blob.digest;
}

std::string available_images(const LayoutReader& layout)
{
    std::string out;
    for (const auto& entry : layout.entries()) {
        if (!out.empty()) out += ", ";
        out += display_name(entry);
    }
    return out.empty() ? "none" : out;
}

// A wanted reference picks an entry with the same name, the same tag if it names one, and the
// same digest (of the reference or of the descriptor) if it names one: "python:3.11" picks
// "docker.io/library/python:3.11@sha256:...".
bool picks(const Reference& wanted, const LayoutEntry& entry)
{
    if (!entry.ref || entry.ref->name() != wanted.name()) return false;
    if (wanted.tag && entry.ref->tag != wanted.tag) return false;
    if (wanted.digest && entry.ref->digest != wanted.digest && entry.blob.digest != *wanted.digest) return false;
    return true;
}

Result<std::vector<const LayoutEntry*>> select_entries(const LayoutReader& layout, const std::vector<std::string>& refs)
{
    const auto& entries = layout.entries();
    std::vector<bool> chosen(entries.size(), refs.empty());
    for (const auto& text : refs) {
        auto wanted = parse_reference(text);
        if (!wanted) return fail(ErrorCode::usage, wanted.error().message);
        bool found = false;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (!picks(*wanted, entries[i])) continue;
            chosen[i] = true;
            found = true;
        }
        if (!found)
            return fail(ErrorCode::verification, "image '" + text + "' is not in " + layout.index_path().string() +
                                                     " (it has: " + available_images(layout) + ")");
    }
    std::vector<const LayoutEntry*> selected;
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (chosen[i]) selected.push_back(&entries[i]);
    if (selected.empty()) return fail(ErrorCode::verification, layout.index_path().string() + ": no images");
    return selected;
}

// Adds `root` and every blob below it (index children, manifest config and layers).
Status collect_blobs(const LayoutReader& layout, const BlobDescriptor& root,
                     std::map<std::string, BlobDescriptor>& blobs)
{
    std::vector<BlobDescriptor> pending{root};
    while (!pending.empty()) {
        BlobDescriptor blob = std::move(pending.back());
        pending.pop_back();
        if (const auto seen = blobs.find(blob.digest); seen != blobs.end()) {
            if (seen->second.size != blob.size)
                return fail(ErrorCode::verification, "blob " + blob.digest + " is described with two sizes (" +
                                                         std::to_string(seen->second.size) + " and " +
                                                         std::to_string(blob.size) + ")");
            continue;
        }
        if (mt::is_index(blob.media_type)) {
            auto children = layout.read_index(blob);
            if (!children) return std::unexpected(children.error());
            pending.insert(pending.end(), children->begin(), children->end());
        } else if (mt::is_image_manifest(blob.media_type)) {
            auto manifest = layout.read_manifest(blob);
            if (!manifest) return std::unexpected(manifest.error());
            pending.push_back(manifest->config);
            pending.insert(pending.end(), manifest->layers.begin(), manifest->layers.end());
        } else if (auto st = layout.check_blob_file(blob); !st) {
            return st;
        }
        blobs.emplace(blob.digest, std::move(blob));
    }
    return {};
}

// The single-platform manifest docker load gets for `entry`; nullopt for what is no container
// image (an artifact, a Helm chart), which stays in index.json only.
Result<std::optional<BlobDescriptor>> docker_manifest_for(const LayoutReader& layout, const LayoutEntry& entry,
                                                          const Platform& platform)
{
    BlobDescriptor chosen = entry.blob;
    if (mt::is_index(entry.blob.media_type)) {
        auto text = layout.read_json_blob(entry.blob);
        if (!text) return std::unexpected(text.error());
        auto selected = select_platforms(*text, {platform}, display_name(entry));
        if (!selected) {
            const auto code = selected.error().code == ErrorCode::manifest ? ErrorCode::usage : selected.error().code;
            return fail(code, selected.error().message);
        }
        const IndexEntry& child = selected->front();
        chosen = BlobDescriptor{child.media_type, child.digest, child.size};
    }
    if (!mt::is_image_manifest(chosen.media_type)) return std::nullopt;
    return chosen;
}

std::string blob_member(const BlobDescriptor& blob)
{
    return "blobs/sha256/" + blob.hex();
}

Json docker_item(const ImageManifest& manifest)
{
    Json layers = Json::array();
    for (const auto& layer : manifest.layers) layers.push_back(blob_member(layer));
    return Json{{"Config", blob_member(manifest.config)}, {"RepoTags", Json::array()}, {"Layers", layers}};
}

bool is_image_config(std::string_view media_type)
{
    return media_type == mt::k_oci_config || media_type == mt::k_docker_config;
}

// docker load refuses a RepoTag carrying a digest, and docker save writes the familiar form.
std::optional<std::string> repo_tag(const LayoutEntry& entry)
{
    if (!entry.ref || !entry.ref->tag) return std::nullopt;
    Reference tagged = *entry.ref;
    tagged.digest.reset();
    return tagged.familiar();
}

Result<std::string> docker_manifest_json(const LayoutReader& layout, const std::vector<const LayoutEntry*>& entries,
                                         const Platform& platform)
{
    Json items = Json::array();
    std::map<std::string, std::size_t> item_of;  // manifest digest -> position in items
    for (const LayoutEntry* entry : entries) {
        auto chosen = docker_manifest_for(layout, *entry, platform);
        if (!chosen) return std::unexpected(chosen.error());
        if (!*chosen) continue;
        auto [position, added] = item_of.emplace((*chosen)->digest, items.size());
        if (added) {
            auto manifest = layout.read_manifest(**chosen);
            if (!manifest) return std::unexpected(manifest.error());
            if (!is_image_config(manifest->config.media_type)) {
                item_of.erase(position);
                continue;
            }
            items.push_back(docker_item(*manifest));
        }
        const auto tag = repo_tag(*entry);
        Json& tags = items[position->second]["RepoTags"];
        if (tag && std::find(tags.begin(), tags.end(), *tag) == tags.end()) tags.push_back(*tag);
    }
    return items.dump();
}

// docker save's naming: the full reference for containerd, the tag alone as the OCI ref name
// (containerd's exporter uses the full reference when there is no tag, to keep the OCI grammar).
Json archive_descriptor(const LayoutEntry& entry)
{
    Json descriptor = entry.json;
    if (!entry.ref) return descriptor;
    Json& annotations = descriptor["annotations"];
    if (!annotations.is_object()) annotations = Json::object();
    annotations[std::string(k_containerd_name_annotation)] = entry.ref->to_string();
    annotations[std::string(k_ref_name_annotation)] = entry.ref->tag ? *entry.ref->tag : entry.ref->to_string();
    return descriptor;
}

}  // namespace

Result<ArchivePlan> plan_archive(const LayoutReader& layout, const ArchiveOptions& options)
{
    auto platform = parse_platform(options.platform);
    if (!platform) return fail(ErrorCode::usage, platform.error().message);
    auto entries = select_entries(layout, options.refs);
    if (!entries) return std::unexpected(entries.error());

    ArchivePlan plan;
    Json manifests = Json::array();
    for (const LayoutEntry* entry : *entries) {
        if (auto st = collect_blobs(layout, entry->blob, plan.blobs); !st)
            return std::unexpected(st.error().context(display_name(*entry)));
        manifests.push_back(archive_descriptor(*entry));
    }
    auto docker = docker_manifest_json(layout, *entries, *platform);
    if (!docker) return std::unexpected(docker.error());
    plan.manifest_json = std::move(*docker);
    plan.index_json = Json{{"schemaVersion", 2}, {"mediaType", mt::k_oci_index}, {"manifests", manifests}}.dump();
    plan.images = entries->size();
    return plan;
}

}  // namespace gapbundle::sources::oci::detail
