#include <gapbundle/sources/oci/manifest_references.hpp>

#include "manifest_json.hpp"

#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/sources/oci/reference.hpp>

namespace gapbundle::sources::oci {

namespace detail {

namespace {

constexpr std::string_view k_sha256_prefix = "sha256:";

std::unexpected<Error> bad(ErrorCode code, std::string_view where, const std::string& why)
{
    return fail(code, std::string(where) + ": " + why);
}

}  // namespace

Result<Json> parse_json_object(std::string_view bytes, std::string_view where, ErrorCode code)
{
    Json document = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return bad(code, where, "not valid JSON");
    if (!document.is_object()) return bad(code, where, "not a JSON object");
    return document;
}

Result<Descriptor> parse_descriptor(const Json& value, std::string_view where, ErrorCode code)
{
    if (!value.is_object()) return bad(code, where, "not a descriptor (a JSON object)");
    Descriptor d;
    if (const auto media_type = value.find("mediaType"); media_type != value.end()) {
        if (!media_type->is_string()) return bad(code, where, "mediaType is not a string");
        d.media_type = media_type->get<std::string>();
    }
    const auto digest = value.find("digest");
    if (digest == value.end() || !digest->is_string()) return bad(code, where, "no digest");
    d.digest = digest->get<std::string>();
    if (auto ok = validate_digest(d.digest); !ok)
        return bad(code, where, "digest '" + d.digest + "': " + ok.error().message);
    if (!d.digest.starts_with(k_sha256_prefix))
        return bad(code, where, "digest '" + d.digest + "': only sha256 is supported");
    const auto size = value.find("size");
    if (size == value.end() || !size->is_number_unsigned()) return bad(code, where, "no size (a non-negative integer)");
    d.size = size->get<std::uint64_t>();
    if (const auto urls = value.find("urls"); urls != value.end() && urls->is_array())
        for (const Json& url : *urls)
            if (url.is_string()) d.urls.push_back(url.get<std::string>());
    if (const auto annotations = value.find("annotations"); annotations != value.end()) {
        if (!annotations->is_object()) return bad(code, where, "annotations is not an object");
        for (const auto& [key, text] : annotations->items())
            if (text.is_string()) d.annotations.emplace(key, text.get<std::string>());
    }
    return d;
}

Result<std::vector<Descriptor>> parse_descriptor_list(const Json& document, std::string_view key,
                                                      std::string_view where, ErrorCode code)
{
    const auto list = document.find(key);
    if (list == document.end() || !list->is_array()) return bad(code, where, "no '" + std::string(key) + "' array");
    std::vector<Descriptor> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto d = parse_descriptor((*list)[i],
                                  std::string(where) + ": " + std::string(key) + "[" + std::to_string(i) + "]", code);
        if (!d) return std::unexpected(d.error());
        out.push_back(std::move(*d));
    }
    return out;
}

}  // namespace detail

Result<ManifestReferences> parse_manifest_references(std::string_view bytes, const Descriptor& descriptor,
                                                     std::string_view where, ErrorCode code)
{
    const auto bad = [&](const std::string& why) { return fail(code, std::string(where) + ": " + why); };
    auto document = detail::parse_json_object(bytes, where, code);
    if (!document) return std::unexpected(document.error());
    ManifestReferences refs;
    refs.media_type = descriptor.media_type;
    if (const auto declared = document->find("mediaType"); declared != document->end() && declared->is_string()) {
        const std::string own = declared->get<std::string>();
        if (refs.media_type.empty()) refs.media_type = own;
        if (own != refs.media_type)
            return bad("mediaType " + own + " differs from the descriptor's " + refs.media_type);
    }
    if (refs.media_type.empty()) return bad("no media type (neither the descriptor nor the manifest has one)");
    if (media_types::is_index(refs.media_type)) {
        refs.kind = ManifestReferences::Kind::index;
        auto manifests = detail::parse_descriptor_list(*document, "manifests", where, code);
        if (!manifests) return std::unexpected(manifests.error());
        refs.manifests = std::move(*manifests);
        return refs;
    }
    const auto config = document->find("config");
    if (config == document->end()) return bad("no config descriptor");
    auto config_descriptor = detail::parse_descriptor(*config, std::string(where) + ": config", code);
    if (!config_descriptor) return std::unexpected(config_descriptor.error());
    refs.blobs.push_back(std::move(*config_descriptor));
    auto layers = detail::parse_descriptor_list(*document, "layers", where, code);
    if (!layers) return std::unexpected(layers.error());
    refs.blobs.insert(refs.blobs.end(), layers->begin(), layers->end());
    return refs;
}

std::string manifest_media_type(std::string_view bytes)
{
    const auto document = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (!document.is_object()) return "";
    if (const auto type = document.find("mediaType"); type != document.end() && type->is_string())
        return type->get<std::string>();
    if (document.contains("manifests")) return std::string(media_types::k_oci_index);
    if (document.contains("config") && document.contains("layers")) return std::string(media_types::k_oci_manifest);
    return "";
}

bool is_non_distributable(std::string_view media_type)
{
    return media_type == media_types::k_docker_foreign_layer_gzip ||
           media_type == media_types::k_oci_layer_nondistributable_tar ||
           media_type == media_types::k_oci_layer_nondistributable_gzip ||
           media_type == media_types::k_oci_layer_nondistributable_zstd;
}

}  // namespace gapbundle::sources::oci
