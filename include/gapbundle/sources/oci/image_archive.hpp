#pragma once

#include <gapbundle/sources/oci/layout_reader.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::sources::oci {

struct ArchiveOptions {
    // Which images, as full or familiar references ("python:3.11-slim"), matched after
    // normalisation against the layout's org.opencontainers.image.ref.name (LayoutReader::select);
    // empty = all.
    std::vector<std::string> refs;
    // The platform docker's manifest.json describes for a multi-arch image.
    std::string platform = "linux/amd64";
};

struct ArchiveResult {
    std::size_t images = 0;   // index.json entries written
    std::size_t blobs = 0;    // distinct blobs written
    std::uint64_t bytes = 0;  // sum of the blobs' sizes
};

// Writes `output`, a tar that both `docker load` (manifest.json) and containerd's
// `ctr images import` (oci-layout + index.json) accept, as `docker save` does since Docker 25.
// Every blob is copied byte for byte and checked against its descriptor's digest and size.
// The output is written atomically: a temp file beside it, renamed on success, nothing left on
// failure. The layout is read with LayoutReader (layout_reader.hpp), so each index.json entry
// must name its image with a full reference, as a bundle's oci/index.json does. Errors:
// ErrorCode::verification for a bad layout (missing or corrupt blob, malformed JSON, an entry
// without a full reference; each names the file), ErrorCode::usage for an unparsable ref or
// platform, a ref the layout does not hold ("--ref REF: no image NAME in DIR/index.json (it has:
// ...)"), or an index without options.platform ("no linux/s390x image in NAME (available: ...)"),
// ErrorCode::io when the output cannot be written.
Result<ArchiveResult> write_image_archive(const std::filesystem::path& layout, const std::filesystem::path& output,
                                          const ArchiveOptions& options);
// The same from a layout the caller has already opened.
Result<ArchiveResult> write_image_archive(const LayoutReader& layout, const std::filesystem::path& output,
                                          const ArchiveOptions& options);

}  // namespace gapbundle::sources::oci
