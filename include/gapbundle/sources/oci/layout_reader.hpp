#pragma once

// Reads an OCI image layout (reference/oci_helm_hf.md A4) as the gap side finds it after unpack:
// oci-layout, index.json whose entries name images with org.opencontainers.image.ref.name, and
// blobs/sha256/<hex>. Digests are validated before they become paths. Every problem is an
// ErrorCode::verification error naming the file.

#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::oci {

inline constexpr std::string_view k_ref_name_annotation = "org.opencontainers.image.ref.name";
inline constexpr std::uint64_t k_max_layout_manifest_bytes = 16ull << 20;

struct LayoutDescriptor {
    std::string media_type;
    std::string digest;  // "sha256:<64 hex>", checked
    std::uint64_t size = 0;
    std::vector<std::string> urls;  // non-distributable layers may live elsewhere
    std::map<std::string, std::string> annotations;
};

// An index.json entry: one image (a manifest or an index) and the reference it carries.
struct LayoutImage {
    std::string ref_name;  // the annotation, a full normalised reference
    Reference reference;
    LayoutDescriptor descriptor;
};

// What a manifest refers to: an image manifest's config and layers, or an index's manifests.
struct ManifestReferences {
    enum class Kind { image, index };
    Kind kind = Kind::image;
    std::string media_type;               // the descriptor's, else the JSON's mediaType
    std::vector<LayoutDescriptor> blobs;  // config first, then layers
    std::vector<LayoutDescriptor> manifests;
};

// Parses `bytes` (the manifest that `descriptor` describes). `where` prefixes errors.
Result<ManifestReferences> parse_manifest_references(std::string_view bytes, const LayoutDescriptor& descriptor,
                                                     std::string_view where);

// True for layers that registries need not hold (Docker foreign, OCI non-distributable).
bool is_non_distributable(std::string_view media_type);

class LayoutReader {
public:
    // `dir` is a layout (it has oci-layout) or an unpacked bundle whose oci/ is one.
    static Result<LayoutReader> open(const std::filesystem::path& dir);

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    [[nodiscard]] const std::vector<LayoutImage>& images() const { return m_images; }

    // The images `refs` name, all when `refs` is empty. A ref is a full or familiar reference
    // matched after normalisation ("python:3.11" is docker.io/library/python:3.11); when it has a
    // digest, that digest must match too. An invalid ref, or one naming no image, is
    // ErrorCode::usage.
    [[nodiscard]] Result<std::vector<LayoutImage>> select(std::span<const std::string> refs) const;

    // blobs/sha256/<hex> under the root.
    [[nodiscard]] std::filesystem::path blob_path(const LayoutDescriptor& descriptor) const;
    // The blob is a regular file of the descriptor's size.
    [[nodiscard]] Status check_blob_present(const LayoutDescriptor& descriptor) const;
    // Streams the blob through SHA-256 and compares digest and size.
    [[nodiscard]] Status verify_blob(const LayoutDescriptor& descriptor) const;
    // A manifest or index blob's bytes, checked against digest and size.
    [[nodiscard]] Result<std::string> read_manifest(const LayoutDescriptor& descriptor) const;

private:
    std::filesystem::path m_root;
    std::vector<LayoutImage> m_images;
};

}  // namespace gapbundle::sources::oci
