#include <gapbundle/sources/oci/layout_reader.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>
#include <gapbundle/util/fs.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <system_error>

namespace gapbundle::sources::oci {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr std::string_view k_sha256_prefix = "sha256:";
constexpr std::uint64_t k_max_index_bytes = 16ull << 20;

std::unexpected<Error> bad(std::string_view where, const std::string& why)
{
    return fail(ErrorCode::verification, std::string(where) + ": " + why);
}

Result<LayoutDescriptor> parse_descriptor(const json& value, std::string_view where)
{
    if (!value.is_object()) return bad(where, "not a descriptor (a JSON object)");
    LayoutDescriptor d;
    const auto media_type = value.find("mediaType");
    if (media_type != value.end()) {
        if (!media_type->is_string()) return bad(where, "mediaType is not a string");
        d.media_type = media_type->get<std::string>();
    }
    const auto digest = value.find("digest");
    if (digest == value.end() || !digest->is_string()) return bad(where, "no digest");
    d.digest = digest->get<std::string>();
    if (auto ok = validate_digest(d.digest); !ok) return bad(where, "digest '" + d.digest + "': " + ok.error().message);
    if (!d.digest.starts_with(k_sha256_prefix))
        return bad(where, "digest '" + d.digest + "': only sha256 is supported");
    const auto size = value.find("size");
    if (size == value.end() || !size->is_number_unsigned()) return bad(where, "no size (a non-negative integer)");
    d.size = size->get<std::uint64_t>();
    if (const auto urls = value.find("urls"); urls != value.end() && urls->is_array())
        for (const json& url : *urls)
            if (url.is_string()) d.urls.push_back(url.get<std::string>());
    if (const auto annotations = value.find("annotations"); annotations != value.end()) {
        if (!annotations->is_object()) return bad(where, "annotations is not an object");
        for (const auto& [key, text] : annotations->items())
            if (text.is_string()) d.annotations.emplace(key, text.get<std::string>());
    }
    return d;
}

Result<std::vector<LayoutDescriptor>> parse_descriptor_list(const json& document, const char* key,
                                                            std::string_view where)
{
    const auto list = document.find(key);
    if (list == document.end() || !list->is_array()) return bad(where, std::string("no '") + key + "' array");
    std::vector<LayoutDescriptor> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto d = parse_descriptor((*list)[i], std::string(where) + ": " + key + "[" + std::to_string(i) + "]");
        if (!d) return std::unexpected(d.error());
        out.push_back(std::move(*d));
    }
    return out;
}

Result<json> parse_object(std::string_view bytes, std::string_view where)
{
    json document = json::parse(bytes, nullptr, false);
    if (document.is_discarded()) return bad(where, "not valid JSON");
    if (!document.is_object()) return bad(where, "not a JSON object");
    return document;
}

// The ref.name of an index.json entry, which must be a full normalised reference.
Result<Reference> entry_reference(const LayoutDescriptor& d, std::string_view where)
{
    const auto it = d.annotations.find(std::string(k_ref_name_annotation));
    if (it == d.annotations.end())
        return bad(where, "no " + std::string(k_ref_name_annotation) + " annotation naming the image");
    auto reference = parse_reference(it->second);
    if (!reference) return bad(where, reference.error().message);
    if (reference->to_string() != it->second)
        return bad(where, std::string(k_ref_name_annotation) + " '" + it->second +
                              "' is not a full image reference (expected the form '" + reference->to_string() + "')");
    return reference;
}

bool matches(const Reference& wanted, const LayoutImage& image)
{
    const Reference& have = image.reference;
    if (wanted.registry != have.registry || wanted.repository != have.repository) return false;
    if (wanted.digest && wanted.digest != have.digest && wanted.digest != image.descriptor.digest) return false;
    if (wanted.tag && wanted.tag != have.tag) return false;
    return true;
}

}  // namespace

bool is_non_distributable(std::string_view media_type)
{
    return media_type == media_types::k_docker_foreign_layer_gzip ||
           media_type == media_types::k_oci_layer_nondistributable_tar ||
           media_type == media_types::k_oci_layer_nondistributable_gzip ||
           media_type == media_types::k_oci_layer_nondistributable_zstd;
}

Result<ManifestReferences> parse_manifest_references(std::string_view bytes, const LayoutDescriptor& descriptor,
                                                     std::string_view where)
{
    auto document = parse_object(bytes, where);
    if (!document) return std::unexpected(document.error());
    ManifestReferences refs;
    refs.media_type = descriptor.media_type;
    if (const auto declared = document->find("mediaType"); declared != document->end() && declared->is_string()) {
        const std::string own = declared->get<std::string>();
        if (refs.media_type.empty()) refs.media_type = own;
        if (own != refs.media_type)
            return bad(where, "mediaType " + own + " differs from the descriptor's " + refs.media_type);
    }
    if (refs.media_type.empty()) return bad(where, "no media type (neither the descriptor nor the manifest has one)");
    if (media_types::is_index(refs.media_type)) {
        refs.kind = ManifestReferences::Kind::index;
        auto manifests = parse_descriptor_list(*document, "manifests", where);
        if (!manifests) return std::unexpected(manifests.error());
        refs.manifests = std::move(*manifests);
        return refs;
    }
    const auto config = document->find("config");
    if (config == document->end()) return bad(where, "no config descriptor");
    auto config_descriptor = parse_descriptor(*config, std::string(where) + ": config");
    if (!config_descriptor) return std::unexpected(config_descriptor.error());
    refs.blobs.push_back(std::move(*config_descriptor));
    auto layers = parse_descriptor_list(*document, "layers", where);
    if (!layers) return std::unexpected(layers.error());
    refs.blobs.insert(refs.blobs.end(), layers->begin(), layers->end());
    return refs;
}

Result<LayoutReader> LayoutReader::open(const stdfs::path& dir)
{
    std::error_code ec;
    LayoutReader reader;
    reader.m_root = dir;
    if (!stdfs::exists(dir / "oci-layout", ec) && stdfs::exists(dir / "oci" / "oci-layout", ec))
        reader.m_root = dir / "oci";
    const stdfs::path marker = reader.m_root / "oci-layout";
    if (!stdfs::exists(marker, ec))
        return fail(ErrorCode::verification,
                    dir.string() + ": not an OCI image layout (no oci-layout here nor in oci/)");
    auto marker_bytes = fs::read_small_file(marker, 1ull << 20);
    if (!marker_bytes) return fail(ErrorCode::verification, marker_bytes.error().message);
    auto marker_json = parse_object(*marker_bytes, marker.string());
    if (!marker_json) return std::unexpected(marker_json.error());
    const auto version = marker_json->find("imageLayoutVersion");
    if (version == marker_json->end() || !version->is_string() || !version->get<std::string>().starts_with("1."))
        return bad(marker.string(), "imageLayoutVersion is not 1.x");

    const stdfs::path index_path = reader.m_root / "index.json";
    auto index_bytes = fs::read_small_file(index_path, k_max_index_bytes);
    if (!index_bytes) return fail(ErrorCode::verification, index_bytes.error().message);
    auto index = parse_object(*index_bytes, index_path.string());
    if (!index) return std::unexpected(index.error());
    auto entries = parse_descriptor_list(*index, "manifests", index_path.string());
    if (!entries) return std::unexpected(entries.error());
    for (std::size_t i = 0; i < entries->size(); ++i) {
        LayoutDescriptor& d = (*entries)[i];
        const std::string where = index_path.string() + ": manifests[" + std::to_string(i) + "]";
        auto reference = entry_reference(d, where);
        if (!reference) return std::unexpected(reference.error());
        if (reference->digest && *reference->digest != d.digest)
            return bad(where, "the reference's digest " + *reference->digest + " is not the descriptor's " + d.digest);
        const std::string name = d.annotations.at(std::string(k_ref_name_annotation));
        reader.m_images.push_back(LayoutImage{name, std::move(*reference), std::move(d)});
    }
    return reader;
}

Result<std::vector<LayoutImage>> LayoutReader::select(std::span<const std::string> refs) const
{
    if (refs.empty()) return m_images;
    std::vector<LayoutImage> out;
    for (const std::string& text : refs) {
        auto wanted = parse_reference(text);
        if (!wanted) return fail(ErrorCode::usage, "--ref: " + wanted.error().message);
        bool found = false;
        for (const LayoutImage& image : m_images) {
            if (!matches(*wanted, image)) continue;
            found = true;
            const bool listed =
                std::ranges::any_of(out, [&](const LayoutImage& o) { return o.ref_name == image.ref_name; });
            if (!listed) out.push_back(image);
        }
        if (!found)
            return fail(ErrorCode::usage, "--ref " + text + ": no image " + wanted->to_string() + " in " +
                                              (m_root / "index.json").string());
    }
    return out;
}

stdfs::path LayoutReader::blob_path(const LayoutDescriptor& descriptor) const
{
    // parse_descriptor checked the digest: "sha256:" and 64 lowercase hex digits.
    return m_root / "blobs" / "sha256" / descriptor.digest.substr(k_sha256_prefix.size());
}

Status LayoutReader::check_blob_present(const LayoutDescriptor& descriptor) const
{
    const stdfs::path path = blob_path(descriptor);
    std::error_code ec;
    const auto status = stdfs::symlink_status(path, ec);
    if (ec || !stdfs::exists(status))
        return fail(ErrorCode::verification, path.string() + ": missing (blob " + descriptor.digest + ")");
    if (!stdfs::is_regular_file(status)) return fail(ErrorCode::verification, path.string() + ": not a regular file");
    const auto size = stdfs::file_size(path, ec);
    if (ec) return fail(ErrorCode::verification, path.string() + ": " + ec.message());
    if (size != descriptor.size)
        return fail(ErrorCode::verification, path.string() + ": " + std::to_string(size) +
                                                 " bytes, but the descriptor says " + std::to_string(descriptor.size));
    return {};
}

Status LayoutReader::verify_blob(const LayoutDescriptor& descriptor) const
{
    if (auto ok = check_blob_present(descriptor); !ok) return ok;
    const stdfs::path path = blob_path(descriptor);
    auto digest = crypto::sha256_file(path);
    if (!digest) return fail(ErrorCode::verification, digest.error().message);
    if (digest->size != descriptor.size)
        return fail(ErrorCode::verification, path.string() + ": changed while being read");
    if (std::string(k_sha256_prefix) + digest->sha256 != descriptor.digest)
        return fail(ErrorCode::verification, path.string() + ": content hashes to sha256:" + digest->sha256 +
                                                 ", not its name " + descriptor.digest);
    return {};
}

Result<std::string> LayoutReader::read_manifest(const LayoutDescriptor& descriptor) const
{
    if (descriptor.size > k_max_layout_manifest_bytes)
        return fail(ErrorCode::verification, blob_path(descriptor).string() + ": a manifest of " +
                                                 std::to_string(descriptor.size) + " bytes is too large");
    if (auto ok = check_blob_present(descriptor); !ok) return std::unexpected(ok.error());
    const stdfs::path path = blob_path(descriptor);
    auto bytes = fs::read_small_file(path, k_max_layout_manifest_bytes);
    if (!bytes) return fail(ErrorCode::verification, bytes.error().message);
    const std::string digest = std::string(k_sha256_prefix) + crypto::sha256_hex(*bytes);
    if (bytes->size() != descriptor.size || digest != descriptor.digest)
        return fail(ErrorCode::verification,
                    path.string() + ": content hashes to " + digest + ", not its name " + descriptor.digest);
    return bytes;
}

}  // namespace gapbundle::sources::oci
