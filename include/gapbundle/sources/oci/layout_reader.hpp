#pragma once

// Reads an OCI image layout (reference/oci_helm_hf.md A4) as the gap side finds it after unpack:
// oci-layout, index.json whose entries name images with org.opencontainers.image.ref.name, and
// blobs/sha256/<hex>. Digests are validated before they become paths. Every problem is an
// ErrorCode::verification error naming the file. Used by `install images` both to push
// (registry_push.hpp) and to write an image archive (image_archive.hpp).

#include <gapbundle/sources/oci/manifest_references.hpp>
#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace gapbundle::sources::oci {

// An index.json entry: one image (a manifest or an index) and the reference it carries.
struct LayoutImage {
    std::string ref_name;  // the annotation, a full normalised reference
    Reference reference;
    Descriptor descriptor;
    std::string descriptor_json;  // the entry as written (compact, keys in their order)
};

class LayoutReader {
public:
    // `dir` is a layout (it has oci-layout) or an unpacked bundle whose oci/ is one.
    static Result<LayoutReader> open(const std::filesystem::path& dir);

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    [[nodiscard]] const std::vector<LayoutImage>& images() const { return m_images; }
    [[nodiscard]] std::filesystem::path index_path() const { return m_root / "index.json"; }

    // The images `refs` name, all when `refs` is empty, in layout order, each once. A ref is a
    // full or familiar reference matched after normalisation ("python:3.11" is
    // docker.io/library/python:3.11): same name, same tag if it has one, and same digest (of the
    // reference or of the descriptor) if it has one. An invalid ref, or one naming no image, is
    // ErrorCode::usage ("--ref python:3.12: no image docker.io/library/python:3.12 in
    // DIR/index.json (it has: ...)").
    [[nodiscard]] Result<std::vector<LayoutImage>> select(std::span<const std::string> refs) const;

    // blobs/sha256/<hex> under the root.
    [[nodiscard]] std::filesystem::path blob_path(const Descriptor& descriptor) const;
    // The blob is a regular file of the descriptor's size.
    [[nodiscard]] Status check_blob_present(const Descriptor& descriptor) const;
    // Streams the blob through SHA-256 and compares digest and size.
    [[nodiscard]] Status verify_blob(const Descriptor& descriptor) const;
    // A manifest or index blob's bytes, checked against digest and size.
    [[nodiscard]] Result<std::string> read_manifest(const Descriptor& descriptor) const;

private:
    std::filesystem::path m_root;
    std::vector<LayoutImage> m_images;
};

}  // namespace gapbundle::sources::oci
