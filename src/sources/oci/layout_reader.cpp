#include <gapbundle/sources/oci/layout_reader.hpp>

#include "manifest_json.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>

#include <system_error>

namespace gapbundle::sources::oci {

namespace {

namespace stdfs = std::filesystem;

constexpr std::string_view k_sha256_prefix = "sha256:";
constexpr std::uint64_t k_max_index_bytes = 16ull << 20;
constexpr ErrorCode k_code = ErrorCode::verification;

std::unexpected<Error> bad(std::string_view where, const std::string& why)
{
    return fail(k_code, std::string(where) + ": " + why);
}

// A small file of the layout as a JSON object; unreadable is a verification error naming it.
Result<detail::Json> read_json_file(const stdfs::path& path, std::uint64_t max_bytes)
{
    auto bytes = fs::read_small_file(path, max_bytes);
    if (!bytes) return fail(k_code, bytes.error().message);
    return detail::parse_json_object(*bytes, path.string(), k_code);
}

// The ref.name of an index.json entry, which must be a full normalised reference.
Result<Reference> entry_reference(const Descriptor& d, std::string_view where)
{
    const auto it = d.annotations.find(std::string(k_ref_name_annotation));
    if (it == d.annotations.end())
        return bad(where, "no " + std::string(k_ref_name_annotation) + " annotation naming the image");
    auto reference = parse_reference(it->second);
    if (!reference) return bad(where, reference.error().message);
    if (reference->to_string() != it->second)
        return bad(where, std::string(k_ref_name_annotation) + " '" + it->second +
                              "' is not a full image reference (expected the form '" + reference->to_string() + "')");
    if (reference->digest && *reference->digest != d.digest)
        return bad(where, "the reference's digest " + *reference->digest + " is not the descriptor's " + d.digest);
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

std::string image_list(const std::vector<LayoutImage>& images)
{
    std::string out;
    for (const LayoutImage& image : images) out += (out.empty() ? "" : ", ") + image.ref_name;
    return out.empty() ? "none" : out;
}

}  // namespace

Result<LayoutReader> LayoutReader::open(const stdfs::path& dir)
{
    std::error_code ec;
    LayoutReader reader;
    reader.m_root = dir;
    if (!stdfs::exists(dir / "oci-layout", ec) && stdfs::exists(dir / "oci" / "oci-layout", ec))
        reader.m_root = dir / "oci";
    const stdfs::path marker = reader.m_root / "oci-layout";
    if (!stdfs::exists(marker, ec))
        return fail(k_code, dir.string() + ": not an OCI image layout (no oci-layout here nor in oci/)");
    auto marker_json = read_json_file(marker, 1ull << 20);
    if (!marker_json) return std::unexpected(marker_json.error());
    const auto version = marker_json->find("imageLayoutVersion");
    if (version == marker_json->end() || !version->is_string() || !version->get<std::string>().starts_with("1."))
        return bad(marker.string(), "imageLayoutVersion is not 1.x");

    const std::string index_path = reader.index_path().string();
    auto index = read_json_file(index_path, k_max_index_bytes);
    if (!index) return std::unexpected(index.error());
    auto entries = detail::parse_descriptor_list(*index, "manifests", index_path, k_code);
    if (!entries) return std::unexpected(entries.error());
    for (std::size_t i = 0; i < entries->size(); ++i) {
        Descriptor& d = (*entries)[i];
        auto reference = entry_reference(d, index_path + ": manifests[" + std::to_string(i) + "]");
        if (!reference) return std::unexpected(reference.error());
        std::string name = d.annotations.at(std::string(k_ref_name_annotation));
        reader.m_images.push_back(
            LayoutImage{std::move(name), std::move(*reference), std::move(d), (*index)["manifests"][i].dump()});
    }
    return reader;
}

Result<std::vector<LayoutImage>> LayoutReader::select(std::span<const std::string> refs) const
{
    std::vector<bool> chosen(m_images.size(), refs.empty());
    for (const std::string& text : refs) {
        auto wanted = parse_reference(text);
        if (!wanted) return fail(ErrorCode::usage, "--ref: " + wanted.error().message);
        bool found = false;
        for (std::size_t i = 0; i < m_images.size(); ++i) {
            if (!matches(*wanted, m_images[i])) continue;
            chosen[i] = true;
            found = true;
        }
        if (!found)
            return fail(ErrorCode::usage, "--ref " + text + ": no image " + wanted->to_string() + " in " +
                                              index_path().string() + " (it has: " + image_list(m_images) + ")");
    }
    std::vector<LayoutImage> out;
    for (std::size_t i = 0; i < m_images.size(); ++i)
        if (chosen[i]) out.push_back(m_images[i]);
    return out;
}

stdfs::path LayoutReader::blob_path(const Descriptor& descriptor) const
{
    // parse_descriptor checked the digest: "sha256:" and 64 lowercase hex digits.
    return m_root / "blobs" / "sha256" / descriptor.hex();
}

Status LayoutReader::check_blob_present(const Descriptor& descriptor) const
{
    const stdfs::path path = blob_path(descriptor);
    std::error_code ec;
    const auto status = stdfs::symlink_status(path, ec);
    if (ec || !stdfs::exists(status)) return fail(k_code, path.string() + ": missing (blob " + descriptor.digest + ")");
    if (!stdfs::is_regular_file(status)) return fail(k_code, path.string() + ": not a regular file");
    const auto size = stdfs::file_size(path, ec);
    if (ec) return fail(k_code, path.string() + ": " + ec.message());
    if (size != descriptor.size)
        return fail(k_code, path.string() + ": " + std::to_string(size) + " bytes, but the descriptor says " +
                                std::to_string(descriptor.size));
    return {};
}

Status LayoutReader::verify_blob(const Descriptor& descriptor) const
{
    if (auto ok = check_blob_present(descriptor); !ok) return ok;
    const stdfs::path path = blob_path(descriptor);
    auto digest = crypto::sha256_file(path);
    if (!digest) return fail(k_code, digest.error().message);
    if (digest->size != descriptor.size) return fail(k_code, path.string() + ": changed while being read");
    if (std::string(k_sha256_prefix) + digest->sha256 != descriptor.digest)
        return fail(k_code, path.string() + ": content hashes to sha256:" + digest->sha256 + ", not its name " +
                                descriptor.digest);
    return {};
}

Result<std::string> LayoutReader::read_manifest(const Descriptor& descriptor) const
{
    if (descriptor.size > k_max_manifest_bytes)
        return fail(k_code, blob_path(descriptor).string() + ": a manifest of " + std::to_string(descriptor.size) +
                                " bytes is too large");
    if (auto ok = check_blob_present(descriptor); !ok) return std::unexpected(ok.error());
    const stdfs::path path = blob_path(descriptor);
    auto bytes = fs::read_small_file(path, k_max_manifest_bytes);
    if (!bytes) return fail(k_code, bytes.error().message);
    const std::string digest = std::string(k_sha256_prefix) + crypto::sha256_hex(*bytes);
    if (bytes->size() != descriptor.size || digest != descriptor.digest)
        return fail(k_code, path.string() + ": content hashes to " + digest + ", not its name " + descriptor.digest);
    return bytes;
}

}  // namespace gapbundle::sources::oci
