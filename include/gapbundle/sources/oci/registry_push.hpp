#pragma once

// The pushing side of the Distribution API v2 (reference/oci_helm_hf.md A1): copies images from
// an OCI layout into a registry with their digests unchanged. Per image: blobs first (HEAD, then
// a cross-repository mount when this run saw the blob in another repository, else an upload,
// monolithic or chunked), then manifests by digest (children of an index first), then the tag.
// Manifests go byte for byte with Content-Type = their media type. What the registry already
// has is skipped, so a second run sends nothing. Auth as for pulling (anonymous, Basic, Bearer
// with scope repository:<name>:pull,push). Credentials never appear in errors.

#include <gapbundle/sources/oci/layout_reader.hpp>
#include <gapbundle/sources/oci/registry_client.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace gapbundle::sources::oci {

// Whether the source registry's host becomes a path component of the destination name.
enum class SourceRegistryPath { drop, keep };

struct PushOptions {
    std::string registry;  // "HOST[:PORT]" of the destination
    std::string prefix;    // "mirror" → HOST/mirror/library/python; "" for none
    SourceRegistryPath source_registry = SourceRegistryPath::drop;  // keep → HOST/mirror/docker.io/library/python
    RegistryOptions connection;
    std::uint64_t monolithic_max = 8ull << 20;  // larger blobs are uploaded in chunks
    std::uint64_t chunk_size = 32ull << 20;
};

struct PushCounts {
    std::size_t blobs_uploaded = 0;
    std::size_t blobs_mounted = 0;
    std::size_t blobs_present = 0;  // already in the repository
    std::uint64_t bytes_uploaded = 0;
    std::size_t manifests_pushed = 0;
    std::size_t manifests_present = 0;
    std::size_t tags_set = 0;
    std::size_t tags_present = 0;  // already pointing at the digest

    PushCounts& operator+=(const PushCounts& other);
};

struct ImagePushResult {
    std::string source;       // the layout's ref.name
    std::string destination;  // "HOST/mirror/library/python:3.11-slim", or "...@sha256:..." without a tag
    std::string digest;       // of the top manifest or index, the same in the layout and the registry
    PushCounts counts;
};

struct PushResult {
    std::vector<ImagePushResult> images;
    PushCounts total;
};

// Called after each image is pushed (for progress lines).
using ImagePushedCallback = std::function<void(const ImagePushResult&)>;

// The destination repository of `source`: [prefix/][source registry/]repository, where a source
// registry "host:port" becomes the component "host-port". ErrorCode::usage when the result is not
// a valid repository name (a bad --prefix).
Result<std::string> destination_repository(const Reference& source, const PushOptions& options);

// Pushes `images` of `layout`. First every image's manifests and blobs are read and checked
// (a missing or corrupt blob is ErrorCode::verification naming the file; the blobs the registry
// lacks are hashed) so that a bad layout pushes nothing; then each image is pushed. Registry
// refusals and transport failures are ErrorCode::network naming the image.
Result<PushResult> push_images(const LayoutReader& layout, std::span<const LayoutImage> images,
                               const PushOptions& options, const ImagePushedCallback& pushed = {});

}  // namespace gapbundle::sources::oci
