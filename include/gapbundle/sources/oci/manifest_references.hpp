#pragma once

// Descriptors and what a manifest refers to (OCI image spec: descriptor, image manifest, image
// index; Docker schema 2 alike): the one parser behind the images kind (manifests from a
// registry), the push planner and the image archive writer (manifests from a layout). Errors carry
// the ErrorCode the caller asks for (download on the connected side, verification on the gap
// side) and start with `where`.

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::oci {

inline constexpr std::string_view k_ref_name_annotation = "org.opencontainers.image.ref.name";
inline constexpr std::uint64_t k_max_manifest_bytes = 16ull << 20;

struct Descriptor {
    std::string media_type;  // may be empty for a config or layer that omits it
    std::string digest;      // "sha256:<64 hex>", checked
    std::uint64_t size = 0;
    std::vector<std::string> urls;  // non-distributable layers may live elsewhere
    std::map<std::string, std::string> annotations;

    // The digest without "sha256:", which is also the blob's file name.
    [[nodiscard]] std::string hex() const { return digest.substr(digest.find(':') + 1); }
};

// What a manifest refers to: an image manifest's config and layers, or an index's manifests.
struct ManifestReferences {
    enum class Kind { image, index };
    Kind kind = Kind::image;
    std::string media_type;         // the descriptor's, else the JSON's mediaType
    std::vector<Descriptor> blobs;  // config first, then layers
    std::vector<Descriptor> manifests;
};

// Parses `bytes`, the manifest or index that `descriptor` describes. The media type is the
// descriptor's, else the document's own mediaType (the two must agree when both are given).
// Every descriptor needs a sha256 digest and a size. Errors: `code`, "<where>: <why>".
Result<ManifestReferences> parse_manifest_references(std::string_view bytes, const Descriptor& descriptor,
                                                     std::string_view where, ErrorCode code);

// The media type a manifest declares ("mediaType"), else the one its shape implies
// (OCI index with "manifests", OCI image manifest with "config" and "layers"); "" when neither.
std::string manifest_media_type(std::string_view bytes);

// True for layers that registries need not hold (Docker foreign, OCI non-distributable).
bool is_non_distributable(std::string_view media_type);

}  // namespace gapbundle::sources::oci
