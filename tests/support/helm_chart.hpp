#pragma once

// Helm charts made by the tests: a folder NAME/ with Chart.yaml, values.yaml and any other files,
// packed as `helm package` packs it (a gzip-compressed tar of that folder, NAME-VERSION.tgz), here
// with GNU tar.

#include <filesystem>
#include <map>
#include <string>

namespace gapbundle::testing {

struct ChartDef {
    std::string name;
    std::string version;
    std::string app_version;
    std::string chart_yaml_extra;  // YAML lines added to Chart.yaml (dependencies:, annotations:)
    std::string values_yaml;       // empty: no values.yaml
    std::map<std::string, std::string> files;  // more files, relative to the chart folder (charts/x/Chart.yaml...)
    std::map<std::string, std::filesystem::path> vendored;  // charts/NAME.tgz -> a .tgz made before
};

// Writes out_dir/NAME-VERSION.tgz and returns its path. Throws std::runtime_error when tar fails.
std::filesystem::path build_chart(const std::filesystem::path& out_dir, const ChartDef& chart);

// An OCI image layout at `layout` holding `archive` as `helm push` stores a chart: config (a
// small Chart.yaml as JSON, Helm's config media type), one layer (the .tgz, Helm's content media
// type), tagged `tag` in index.json, for `skopeo copy oci:LAYOUT:TAG docker://...`. Returns the
// manifest's digest ("sha256:...").
std::string write_oci_chart_layout(const std::filesystem::path& layout, const std::filesystem::path& archive,
                                   const std::string& name, const std::string& version, const std::string& tag);

}  // namespace gapbundle::testing
