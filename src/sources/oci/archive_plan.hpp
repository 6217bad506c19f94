#pragma once

// What an image archive holds: the selected images, every blob below them, and the two
// documents that name them (index.json for containerd, manifest.json for docker load).

#include "archive_layout.hpp"

#include <gapbundle/sources/oci/image_archive.hpp>

#include <map>
#include <string>

namespace gapbundle::sources::oci::detail {

struct ArchivePlan {
    std::string index_json;
    std::string manifest_json;
    std::map<std::string, BlobDescriptor> blobs;  // by digest, which is also their order in the tar
    std::size_t images = 0;
};

Result<ArchivePlan> plan_archive(const LayoutReader& layout, const ArchiveOptions& options);

}  // namespace gapbundle::sources::oci::detail
