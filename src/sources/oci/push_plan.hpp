#pragma once

// What pushing or archiving one image of a layout involves, read and checked from the layout
// alone (private to the oci source kind): its manifests in push order and the blobs they need.

#include <gapbundle/sources/oci/layout_reader.hpp>

#include <string>
#include <vector>

namespace gapbundle::sources::oci::detail {

struct PlannedManifest {
    Descriptor descriptor;
    std::string media_type;  // what goes in Content-Type
    std::string bytes;
};

struct ImagePlan {
    LayoutImage image;
    std::vector<Descriptor> blobs;           // each digest once; present with the right size
    std::vector<PlannedManifest> manifests;  // children before the index that lists them; top last
};

// What to do with a non-distributable layer (Docker foreign, OCI nondistributable) that the
// layout lacks: leave it out (a registry need not hold it), or refuse it like any missing blob.
enum class AbsentForeignLayers { skip, refuse };

// Reads the image's manifests (checking each against its digest) and checks that every blob
// they need is in the layout with its size. Errors (ErrorCode::verification) name the file.
// The push and the image archive writer both plan with it.
Result<ImagePlan> plan_image(const LayoutReader& layout, const LayoutImage& image, AbsentForeignLayers absent);

}  // namespace gapbundle::sources::oci::detail
