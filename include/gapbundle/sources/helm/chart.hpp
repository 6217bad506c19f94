#pragma once

// A packaged Helm chart (NAME-VERSION.tgz): its Chart.yaml, values.yaml and the subcharts
// vendored under charts/, read without unpacking anything to disk.

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::helm {

struct ChartDependency {
    std::string name;
    std::string version;     // a constraint, as written
    std::string repository;  // https://…, oci://…, "@alias", "alias:name", file://…, or empty
    std::string alias;
    std::string condition;
};

struct ChartMetadata {
    std::string api_version;  // v1 or v2
    std::string name;
    std::string version;
    std::string app_version;
    std::vector<ChartDependency> dependencies;  // Chart.yaml's (v2) or requirements.yaml's (v1)
    std::map<std::string, std::string> annotations;
};

struct Chart {
    ChartMetadata metadata;
    std::string values_yaml;       // empty when the chart has none
    std::vector<Chart> subcharts;  // vendored under charts/ (as .tgz or as folders)
    std::string chart_yaml;        // Chart.yaml as written
};

// Caps on what a chart may hold, to read hostile archives safely.
inline constexpr std::uint64_t k_max_chart_file_bytes = 8u << 20;       // Chart.yaml, values.yaml
inline constexpr std::uint64_t k_max_subchart_bytes = 64u << 20;        // a charts/*.tgz
inline constexpr int k_max_subchart_depth = 8;

// Reads Chart.yaml (required: apiVersion, name, version) with `where` naming the chart in errors:
// ErrorCode::download "redis-18.6.4.tgz: Chart.yaml:3:1: ...".
Result<ChartMetadata> parse_chart_yaml(std::string_view yaml, std::string_view where);

// A chart archive in memory (gzip-compressed tar) or on disk. The chart is the top folder that
// holds a Chart.yaml; subcharts are charts/*.tgz and charts/*/Chart.yaml one level below it.
Result<Chart> read_chart_archive(std::string_view bytes, std::string_view where);
Result<Chart> read_chart_file(const std::filesystem::path& file);

}  // namespace gapbundle::sources::helm
