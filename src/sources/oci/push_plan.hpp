#pragma once

// What pushing one image of a layout involves, read and checked from the layout alone (private
// to the oci source kind): its manifests in push order and the blobs they need.

#include <gapbundle/sources/oci/layout_reader.hpp>

#include <string>
#include <vector>

namespace gapbundle::sources::oci::detail {

struct PlannedManifest {
    LayoutDescriptor descriptor;
    std::string media_type;  // what goes in Content-Type
    std::string bytes;
};

struct ImagePlan {
    LayoutImage image;
    std::vector<LayoutDescriptor> blobs;     // each digest once; present with the right size
    std::vector<PlannedManifest> manifests;  // children before the index that lists them; top last
};

// Reads the image's manifests (checking each against its digest) and checks that every blob
// they need is in the layout with its size. Errors (ErrorCode::verification) name the file.
// Non-distributable layers absent from the layout are left out.
Result<ImagePlan> plan_image(const LayoutReader& layout, const LayoutImage& image);

}  // namespace gapbundle::sources::oci::detail
