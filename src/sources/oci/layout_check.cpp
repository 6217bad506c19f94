#include <gapbundle/sources/oci/layout_check.hpp>

#include "push_plan.hpp"

#include <set>

namespace gapbundle::sources::oci {

LayoutCheck check_layout(const LayoutReader& layout)
{
    LayoutCheck out;
    std::set<std::string> blobs;
    for (const LayoutImage& image : layout.images()) {
        ++out.images;
        auto plan = detail::plan_image(layout, image, detail::AbsentForeignLayers::skip);
        if (!plan) {
            out.problems.push_back(image.ref_name + ": " + plan.error().message);
            continue;
        }
        for (const Descriptor& blob : plan->blobs) blobs.insert(blob.digest);
    }
    out.blobs = blobs.size();
    return out;
}

}  // namespace gapbundle::sources::oci
