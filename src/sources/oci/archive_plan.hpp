#pragma once

// What an image archive holds: the selected images, every blob below them, and the two
// documents that name them (index.json for containerd, manifest.json for docker load).

#include <gapbundle/sources/oci/image_archive.hpp>
#include <gapbundle/sources/oci/layout_reader.hpp>

#include <map>
#include <string>

namespace gapbundle::sources::oci::detail {

struct ArchivePlan {
    std::string index_json;
    std::string manifest_json;
    std::map<std::string, Descriptor> blobs;  // by digest, which is also their order in the tar
    std::size_t images = 0;
};

Result<ArchivePlan> plan_archive(const LayoutReader& layout, const ArchiveOptions& options);

}  // namespace gapbundle::sources::oci::detail
