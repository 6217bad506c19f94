#include "push_plan.hpp"

#include <algorithm>
#include <set>

namespace gapbundle::sources::oci::detail {

namespace {

constexpr int k_max_index_depth = 8;

class Planner {
public:
    Planner(const LayoutReader& layout, ImagePlan& plan, AbsentForeignLayers absent)
        : m_layout(layout), m_plan(plan), m_absent(absent)
    {
    }

    Status add(const Descriptor& descriptor, int depth)
    {
        if (m_manifests.contains(descriptor.digest)) return {};
        const std::string where = m_layout.blob_path(descriptor).string();
        if (depth > k_max_index_depth)
            return fail(ErrorCode::verification,
                        where + ": indexes nested more than " + std::to_string(k_max_index_depth) + " deep");
        auto bytes = m_layout.read_manifest(descriptor);
        if (!bytes) return std::unexpected(bytes.error());
        auto refs = parse_manifest_references(*bytes, descriptor, where, ErrorCode::verification);
        if (!refs) return std::unexpected(refs.error());
        for (const Descriptor& child : refs->manifests)
            if (auto ok = add(child, depth + 1); !ok) return ok;
        for (const Descriptor& blob : refs->blobs)
            if (auto ok = add_blob(blob); !ok) return ok;
        m_manifests.insert(descriptor.digest);
        m_plan.manifests.push_back(PlannedManifest{descriptor, refs->media_type, std::move(*bytes)});
        return {};
    }

private:
    Status add_blob(const Descriptor& blob)
    {
        if (m_blobs.contains(blob.digest)) return {};
        if (auto ok = m_layout.check_blob_present(blob); !ok) {
            std::error_code ec;
            if (m_absent == AbsentForeignLayers::skip && is_non_distributable(blob.media_type) &&
                !std::filesystem::exists(m_layout.blob_path(blob), ec))
                return {};
            return ok;
        }
        m_blobs.insert(blob.digest);
        m_plan.blobs.push_back(blob);
        return {};
    }

    const LayoutReader& m_layout;
    ImagePlan& m_plan;
    AbsentForeignLayers m_absent;
    std::set<std::string> m_manifests;
    std::set<std::string> m_blobs;
};

}  // namespace

Result<ImagePlan> plan_image(const LayoutReader& layout, const LayoutImage& image, AbsentForeignLayers absent)
{
    ImagePlan plan;
    plan.image = image;
    Planner planner(layout, plan, absent);
    if (auto ok = planner.add(image.descriptor, 0); !ok) return std::unexpected(ok.error());
    return plan;
}

}  // namespace gapbundle::sources::oci::detail
