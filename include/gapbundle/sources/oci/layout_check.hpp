#pragma once

// Whether an OCI layout holds everything its images need, read from the layout alone.

#include <gapbundle/sources/oci/layout_reader.hpp>

#include <string>
#include <vector>

namespace gapbundle::sources::oci {

struct LayoutCheck {
    std::size_t images = 0;  // images index.json names
    std::size_t blobs = 0;   // distinct blobs they need, all present
    std::vector<std::string> problems;  // one per image that lacks something, naming the image and the file
};

// Reads each image's manifests (checked against their digests) and checks that every config and
// layer they need is in blobs/ with its size, as a push would need them. A non-distributable
// layer the layout lacks is not a problem: a registry need not hold it either.
LayoutCheck check_layout(const LayoutReader& layout);

}  // namespace gapbundle::sources::oci
