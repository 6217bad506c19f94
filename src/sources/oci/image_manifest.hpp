#pragma once

// What a registry manifest points at: an image manifest's config and layers, or an index's
// children. Private to the images kind.

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::oci::detail {

struct BlobRef {
    std::string media_type;
    std::string digest;  // "sha256:<hex>"
    std::uint64_t size = 0;
};

// The media type a manifest declares ("mediaType"), else the one its shape implies
// (OCI index with "manifests", OCI image manifest with "config" and "layers"); "" when neither.
std::string manifest_media_type(std::string_view json);

// The config and layers of an image manifest (OCI or Docker schema 2), in order. Only sha256
// digests are accepted; anything else is an ErrorCode::download error naming `image_name`.
Result<std::vector<BlobRef>> image_blobs(std::string_view json, std::string_view image_name);

}  // namespace gapbundle::sources::oci::detail
