#include "archive_layout.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/util/fs.hpp>

namespace gapbundle::sources::oci::detail {

namespace {

// The image spec asks registries to accept manifests of at least 4 MiB; anything far larger in a
// layout's index or manifest position is not one.
constexpr std::uint64_t k_max_json_blob = 16 * 1024 * 1024;
constexpr std::string_view k_ref_name_annotation = "org.opencontainers.image.ref.name";

std::unexpected<Error> bad(const std::string& where, const std::string& what)
{
    return fail(ErrorCode::verification, where + ": " + what);
}

Result<Json> parse_json(const std::string& text, const std::string& where)
{
    auto json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return bad(where, "not valid JSON");
    return json;
}

// Reads a small file as JSON; a missing or unreadable file is a verification error naming it.
Result<Json> read_json_file(const std::filesystem::path& path)
{
    auto text = fs::read_small_file(path, k_max_json_blob);
    if (!text) return fail(ErrorCode::verification, text.error().message);
    return parse_json(*text, path.string());
}

}  // namespace

Result<BlobDescriptor> parse_descriptor(const Json& json, const std::string& where)
{
    if (!json.is_object()) return bad(where, "a descriptor must be a JSON object");
    BlobDescriptor blob;
    if (const auto it = json.find("mediaType"); it != json.end()) {
        if (!it->is_string()) return bad(where, "mediaType must be a string");
        blob.media_type = it->get<std::string>();
    }
    const auto digest = json.find("digest");
    if (digest == json.end() || !digest->is_string()) return bad(where, "no digest");
    blob.digest = digest->get<std::string>();
    if (auto valid = validate_digest(blob.digest); !valid)
        return bad(where, "digest '" + blob.digest + "': " + valid.error().message);
    if (!blob.digest.starts_with("sha256:"))
        return bad(where, "digest '" + blob.digest + "': only sha256 blobs are supported");
    const auto size = json.find("size");
    if (size == json.end() || !size->is_number_unsigned()) return bad(where, "no size (a non-negative integer)");
    blob.size = size->get<std::uint64_t>();
    return blob;
}

Result<LayoutReader> LayoutReader::open(const std::filesystem::path& folder)
{
    LayoutReader reader(folder);
    const auto layout_file = folder / "oci-layout";
    auto layout = read_json_file(layout_file);
    if (!layout) return std::unexpected(layout.error());
    const auto version = layout->is_object() ? layout->find("imageLayoutVersion") : layout->end();
    if (version == layout->end() || !version->is_string() || version->get<std::string>() != "1.0.0")
        return bad(layout_file.string(), "expected {\"imageLayoutVersion\":\"1.0.0\"}");
    if (auto st = reader.read_index_json(); !st) return std::unexpected(st.error());
    return reader;
}

Status LayoutReader::read_index_json()
{
    const std::string path = index_path().string();
    auto index = read_json_file(index_path());
    if (!index) return std::unexpected(index.error());
    const auto manifests = index->is_object() ? index->find("manifests") : index->end();
    if (manifests == index->end() || !manifests->is_array()) return bad(path, "no \"manifests\" array");
    for (std::size_t i = 0; i < manifests->size(); ++i) {
        const std::string where = path + ": manifests[" + std::to_string(i) + "]";
        LayoutEntry entry;
        entry.json = (*manifests)[i];
        auto blob = parse_descriptor(entry.json, where);
        if (!blob) return std::unexpected(blob.error());
        entry.blob = std::move(*blob);
        const auto annotations = entry.json.find("annotations");
        if (annotations != entry.json.end() && annotations->is_object()) {
            const auto name = annotations->find(k_ref_name_annotation);
            if (name != annotations->end() && name->is_string()) entry.ref_text = name->get<std::string>();
        }
        if (!entry.ref_text.empty()) {
            auto ref = parse_reference(entry.ref_text);
            if (!ref) return bad(where, ref.error().message);
            entry.ref = std::move(*ref);
        }
        m_entries.push_back(std::move(entry));
    }
    return {};
}

std::filesystem::path LayoutReader::blob_path(const BlobDescriptor& blob) const
{
    return m_folder / "blobs" / "sha256" / blob.hex();
}

Status LayoutReader::check_blob_file(const BlobDescriptor& blob) const
{
    const auto path = blob_path(blob);
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) return bad(path.string(), "blob is missing");
    if (ec) return fail(ErrorCode::io, path.string() + ": " + ec.message());
    if (status.type() != std::filesystem::file_type::regular) return bad(path.string(), "not a regular file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail(ErrorCode::io, path.string() + ": " + ec.message());
    if (size != blob.size)
        return bad(path.string(),
                   std::to_string(size) + " bytes, but its descriptor says " + std::to_string(blob.size));
    return {};
}

Result<std::string> LayoutReader::read_json_blob(const BlobDescriptor& blob) const
{
    const auto path = blob_path(blob);
    if (blob.size > k_max_json_blob)
        return bad(path.string(), "a " + blob.media_type + " of " + std::to_string(blob.size) + " bytes is too large");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return bad(path.string(), "blob is missing");
    auto text = fs::read_small_file(path, k_max_json_blob);
    if (!text) return fail(ErrorCode::verification, text.error().message);
    if (text->size() != blob.size)
        return bad(path.string(),
                   std::to_string(text->size()) + " bytes, but its descriptor says " + std::to_string(blob.size));
    const std::string actual = crypto::sha256_hex(*text);
    if (actual != blob.hex()) return bad(path.string(), "content does not match its digest (sha256:" + actual + ")");
    return text;
}

Result<std::vector<BlobDescriptor>> LayoutReader::read_index(const BlobDescriptor& blob) const
{
    const std::string where = blob_path(blob).string();
    auto text = read_json_blob(blob);
    if (!text) return std::unexpected(text.error());
    auto json = parse_json(*text, where);
    if (!json) return std::unexpected(json.error());
    const auto manifests = json->is_object() ? json->find("manifests") : json->end();
    if (manifests == json->end() || !manifests->is_array()) return bad(where, "an index without a \"manifests\" array");
    std::vector<BlobDescriptor> children;
    for (std::size_t i = 0; i < manifests->size(); ++i) {
        auto child = parse_descriptor((*manifests)[i], where + ": manifests[" + std::to_string(i) + "]");
        if (!child) return std::unexpected(child.error());
        children.push_back(std::move(*child));
    }
    return children;
}

Result<ImageManifest> LayoutReader::read_manifest(const BlobDescriptor& blob) const
{
    const std::string where = blob_path(blob).string();
    auto text = read_json_blob(blob);
    if (!text) return std::unexpected(text.error());
    auto json = parse_json(*text, where);
    if (!json) return std::unexpected(json.error());
    if (!json->is_object()) return bad(where, "a manifest must be a JSON object");
    ImageManifest manifest;
    const auto config = json->find("config");
    if (config == json->end()) return bad(where, "a manifest without a config");
    auto config_blob = parse_descriptor(*config, where + ": config");
    if (!config_blob) return std::unexpected(config_blob.error());
    manifest.config = std::move(*config_blob);
    const auto layers = json->find("layers");
    if (layers == json->end() || !layers->is_array()) return bad(where, "a manifest without a \"layers\" array");
    for (std::size_t i = 0; i < layers->size(); ++i) {
        auto layer = parse_descriptor((*layers)[i], where + ": layers[" + std::to_string(i) + "]");
        if (!layer) return std::unexpected(layer.error());
        manifest.layers.push_back(std::move(*layer));
    }
    return manifest;
}

}  // namespace gapbundle::sources::oci::detail
