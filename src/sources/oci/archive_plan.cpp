#include "archive_plan.hpp"

#include "manifest_json.hpp"
#include "push_plan.hpp"

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/platform.hpp>

#include <algorithm>

namespace gapbundle::sources::oci::detail {

namespace {

namespace mt = media_types;

constexpr std::string_view k_containerd_name_annotation = "io.containerd.image.name";

// The manifests and indexes of the selected images, by digest, as the plans read them.
using ManifestBytes = std::map<std::string, std::string>;

// Adds the plan's manifests and blobs to `blobs`; a digest described with two sizes is refused.
Status add_blobs(const ImagePlan& plan, std::map<std::string, Descriptor>& blobs, ManifestBytes& manifests)
{
    const auto add = [&blobs](const Descriptor& blob) -> Status {
        const auto [seen, added] = blobs.emplace(blob.digest, blob);
        if (!added && seen->second.size != blob.size)
            return fail(ErrorCode::verification, "blob " + blob.digest + " is described with two sizes (" +
                                                     std::to_string(seen->second.size) + " and " +
                                                     std::to_string(blob.size) + ")");
        return {};
    };
    for (const PlannedManifest& manifest : plan.manifests) {
        if (auto st = add(manifest.descriptor); !st) return st;
        manifests.try_emplace(manifest.descriptor.digest, manifest.bytes);
    }
    for (const Descriptor& blob : plan.blobs)
        if (auto st = add(blob); !st) return st;
    return {};
}

// The single-platform manifest docker load gets for `image`; nullopt for what is no container
// image (an artifact, a Helm chart), which stays in index.json only.
Result<std::optional<Descriptor>> docker_manifest_for(const LayoutImage& image, const ManifestBytes& manifests,
                                                      const Platform& platform)
{
    Descriptor chosen = image.descriptor;
    if (mt::is_index(chosen.media_type)) {
        auto selected = select_platforms(manifests.at(chosen.digest), {platform}, image.ref_name);
        if (!selected) {
            const auto code = selected.error().code == ErrorCode::manifest ? ErrorCode::usage : selected.error().code;
            return fail(code, selected.error().message);
        }
        const IndexEntry& child = selected->front();
        chosen = Descriptor{child.media_type, child.digest, child.size, {}, {}};
    }
    if (!mt::is_image_manifest(chosen.media_type)) return std::nullopt;
    return chosen;
}

std::string blob_member(const Descriptor& blob)
{
    return "blobs/sha256/" + blob.hex();
}

bool is_image_config(std::string_view media_type)
{
    return media_type == mt::k_oci_config || media_type == mt::k_docker_config;
}

// manifest.json's item for an image manifest; nullopt when its config is no image config.
Result<std::optional<Json>> docker_item(const LayoutReader& layout, const Descriptor& manifest,
                                        const ManifestBytes& manifests)
{
    auto refs = parse_manifest_references(manifests.at(manifest.digest), manifest, layout.blob_path(manifest).string(),
                                          ErrorCode::verification);
    if (!refs) return std::unexpected(refs.error());
    const Descriptor& config = refs->blobs.front();
    if (!is_image_config(config.media_type)) return std::nullopt;
    Json layers = Json::array();
    for (auto layer = refs->blobs.begin() + 1; layer != refs->blobs.end(); ++layer)
        layers.push_back(blob_member(*layer));
    return Json{{"Config", blob_member(config)}, {"RepoTags", Json::array()}, {"Layers", layers}};
}

// docker load refuses a RepoTag carrying a digest, and docker save writes the familiar form.
std::optional<std::string> repo_tag(const LayoutImage& image)
{
    if (!image.reference.tag) return std::nullopt;
    Reference tagged = image.reference;
    tagged.digest.reset();
    return tagged.familiar();
}

Result<std::string> docker_manifest_json(const LayoutReader& layout, const std::vector<LayoutImage>& images,
                                         const ManifestBytes& manifests, const Platform& platform)
{
    Json items = Json::array();
    std::map<std::string, std::size_t> item_of;  // manifest digest -> position in items
    for (const LayoutImage& image : images) {
        auto chosen = docker_manifest_for(image, manifests, platform);
        if (!chosen) return std::unexpected(chosen.error());
        if (!*chosen) continue;
        auto [position, added] = item_of.emplace((*chosen)->digest, items.size());
        if (added) {
            auto item = docker_item(layout, **chosen, manifests);
            if (!item) return std::unexpected(item.error());
            if (!*item) {
                item_of.erase(position);
                continue;
            }
            items.push_back(std::move(**item));
        }
        const auto tag = repo_tag(image);
        Json& tags = items[position->second]["RepoTags"];
        if (tag && std::find(tags.begin(), tags.end(), *tag) == tags.end()) tags.push_back(*tag);
    }
    return items.dump();
}

// docker save's naming: the full reference for containerd, the tag alone as the OCI ref name
// (containerd's exporter uses the full reference when there is no tag, to keep the OCI grammar).
Json archive_descriptor(const LayoutImage& image)
{
    Json descriptor = Json::parse(image.descriptor_json);
    Json& annotations = descriptor["annotations"];
    if (!annotations.is_object()) annotations = Json::object();
    annotations[std::string(k_containerd_name_annotation)] = image.ref_name;
    annotations[std::string(k_ref_name_annotation)] = image.reference.tag ? *image.reference.tag : image.ref_name;
    return descriptor;
}

}  // namespace

Result<ArchivePlan> plan_archive(const LayoutReader& layout, const ArchiveOptions& options)
{
    auto platform = parse_platform(options.platform);
    if (!platform) return fail(ErrorCode::usage, platform.error().message);
    auto images = layout.select(options.refs);
    if (!images) return std::unexpected(images.error());
    if (images->empty()) return fail(ErrorCode::verification, layout.index_path().string() + ": no images");

    ArchivePlan plan;
    ManifestBytes manifests;
    Json descriptors = Json::array();
    for (const LayoutImage& image : *images) {
        auto image_plan = plan_image(layout, image, AbsentForeignLayers::refuse);
        if (!image_plan) return std::unexpected(image_plan.error().context(image.ref_name));
        if (auto st = add_blobs(*image_plan, plan.blobs, manifests); !st)
            return std::unexpected(st.error().context(image.ref_name));
        descriptors.push_back(archive_descriptor(image));
    }
    auto docker = docker_manifest_json(layout, *images, manifests, *platform);
    if (!docker) return std::unexpected(docker.error());
    plan.manifest_json = std::move(*docker);
    plan.index_json = Json{{"schemaVersion", 2}, {"mediaType", mt::k_oci_index}, {"manifests", descriptors}}.dump();
    plan.images = images->size();
    return plan;
}

}  // namespace gapbundle::sources::oci::detail
