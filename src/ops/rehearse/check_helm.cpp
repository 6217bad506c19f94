// Helm: every chart of helm/index.yaml is there, each dependency it does not vendor is in the
// chart repository too, and every image found in a chart is in the image layout.

#include "rehearsal_checks.hpp"

#include <gapbundle/sources/helm/chart.hpp>
#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/sources/oci/layout_reader.hpp>
#include <gapbundle/util/fs.hpp>

#include <algorithm>
#include <set>

namespace gapbundle::ops::rehearsal {

namespace {

namespace stdfs = std::filesystem;
namespace helm = sources::helm;

bool vendored(const helm::Chart& chart, const helm::ChartDependency& dependency)
{
    return std::ranges::any_of(chart.subcharts, [&](const helm::Chart& sub) { return sub.metadata.name == dependency.name; });
}

void check_dependencies(const stdfs::path& folder, const helm::ChartIndex& index, KindRehearsal& out,
                        std::size_t& charts)
{
    for (const auto& [name, versions] : index.entries) {
        for (const auto& version : versions) {
            ++charts;
            const std::string where = name + " " + version.version;
            const stdfs::path file = folder / (name + "-" + version.version + ".tgz");
            auto chart = helm::read_chart_file(file);
            if (!chart) {
                out.problems.push_back(where + ": " + chart.error().message);
                continue;
            }
            for (const auto& dependency : chart->metadata.dependencies) {
                if (vendored(*chart, dependency)) continue;
                if (!helm::select_chart(index, dependency.name, dependency.version, true))
                    out.problems.push_back(where + " depends on " + dependency.name + " " + dependency.version +
                                           ", which is neither vendored nor in helm/index.yaml");
            }
        }
    }
}

// The images that charts asked for: their components name the chart in `requested`.
void check_images(const Tree& tree, KindRehearsal& out, std::size_t& images)
{
    std::vector<const bundle::Component*> asked;
    for (const auto* component : tree.components("images"))
        if (std::ranges::any_of(component->requested, [](const std::string& line) { return line.starts_with("helm["); }))
            asked.push_back(component);
    if (asked.empty()) return;
    std::set<std::string> in_layout;
    if (auto layout = sources::oci::LayoutReader::open(tree.root))
        for (const auto& image : layout->images()) in_layout.insert(image.ref_name);
    for (const auto* component : asked) {
        ++images;
        if (!in_layout.contains(component->name))
            out.problems.push_back(component->name + " (asked for by " + component->requested.front() +
                                   "): not in oci/index.json");
    }
}

}  // namespace

KindRehearsal rehearse_helm(const Tree& tree)
{
    KindRehearsal out{"helm", Verdict::passed, {}, {}, {}};
    const stdfs::path folder = tree.root / "helm";
    auto text = fs::read_small_file(folder / "index.yaml", 64 << 20);
    if (!text) {
        out.problems.push_back("helm/index.yaml: " + text.error().message);
        out.verdict = Verdict::failed;
        return out;
    }
    auto index = helm::parse_chart_index(*text, "helm/index.yaml");
    if (!index) {
        out.problems.push_back(index.error().message);
        out.verdict = Verdict::failed;
        return out;
    }
    std::size_t charts = 0;
    std::size_t images = 0;
    check_dependencies(folder, *index, out, charts);
    for (const auto* component : tree.components("helm"))
        if (!index->entries.contains(component->name))
            out.problems.push_back(component->name + " " + component->version +
                                   ": the index names it, but helm/index.yaml does not list it");
    check_images(tree, out, images);
    out.checked.push_back(std::to_string(charts) + " chart(s): every dependency is vendored or in helm/index.yaml; " +
                          std::to_string(images) + " image(s) found in them are in oci/index.json");
    out.verdict = out.problems.empty() ? Verdict::passed : Verdict::failed;
    return out;
}

}  // namespace gapbundle::ops::rehearsal
