#include "image_manifest.hpp"

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

namespace gapbundle::sources::oci::detail {

namespace {

using nlohmann::json;

Result<BlobRef> parse_descriptor(const json& item, const std::string& where)
{
    const auto bad = [&](const std::string& why) { return fail(ErrorCode::download, where + ": " + why); };
    if (!item.is_object()) return bad("a descriptor must be an object");
    const auto digest = item.find("digest");
    const auto size = item.find("size");
    if (digest == item.end() || !digest->is_string()) return bad("descriptor without a digest");
    if (size == item.end() || !size->is_number_unsigned()) return bad("descriptor without a size");
    BlobRef ref;
    ref.digest = digest->get<std::string>();
    ref.size = size->get<std::uint64_t>();
    ref.media_type = item.value("mediaType", "");
    if (!ref.digest.starts_with("sha256:") || !text::is_sha256_hex(std::string_view(ref.digest).substr(7)))
        return bad("unsupported digest '" + ref.digest + "' (only sha256 is supported)");
    return ref;
}

}  // namespace

std::string manifest_media_type(std::string_view text)
{
    const auto document = json::parse(text, nullptr, false);
    if (!document.is_object()) return "";
    if (const auto type = document.find("mediaType"); type != document.end() && type->is_string())
        return type->get<std::string>();
    if (document.contains("manifests")) return std::string(media_types::k_oci_index);
    if (document.contains("config") && document.contains("layers")) return std::string(media_types::k_oci_manifest);
    return "";
}

Result<std::vector<BlobRef>> image_blobs(std::string_view text, std::string_view image_name)
{
    const std::string where(image_name);
    const auto document = json::parse(text, nullptr, false);
    if (!document.is_object()) return fail(ErrorCode::download, where + ": the image manifest is not a JSON object");
    const auto config = document.find("config");
    const auto layers = document.find("layers");
    if (config == document.end() || layers == document.end() || !layers->is_array())
        return fail(ErrorCode::download, where + ": the image manifest has no config or no layers list");
    std::vector<BlobRef> blobs;
    auto config_ref = parse_descriptor(*config, where + ": config");
    if (!config_ref) return std::unexpected(config_ref.error());
    blobs.push_back(std::move(*config_ref));
    for (std::size_t i = 0; i < layers->size(); ++i) {
        auto layer = parse_descriptor((*layers)[i], where + ": layers[" + std::to_string(i) + "]");
        if (!layer) return std::unexpected(layer.error());
        blobs.push_back(std::move(*layer));
    }
    return blobs;
}

}  // namespace gapbundle::sources::oci::detail
