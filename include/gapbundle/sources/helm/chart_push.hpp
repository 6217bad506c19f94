#pragma once

// `helm push` without helm: a packaged chart into a registry as an OCI artifact, the way helm
// lays it out (config = Chart.yaml as JSON with Helm's config media type, a layer = the .tgz, a
// second layer = its .prov when there is one), tagged with the chart version ('+' as '_', which
// tags cannot hold). What the registry already has is not sent again.

#include <gapbundle/sources/helm/media_types.hpp>
#include <gapbundle/sources/oci/registry_push.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::helm {

struct ChartPushResult {
    std::string destination;  // "HOST/[PREFIX/]NAME:TAG"
    std::string digest;       // of the manifest
    oci::PushCounts counts;
};

// The config blob helm writes: Chart.yaml's fields as JSON, in the order of helm's Metadata
// type, unknown keys left out. ErrorCode::verification naming `where` for YAML that is not a
// chart's.
Result<std::string> chart_config_json(std::string_view chart_yaml, std::string_view where);

// Pushes `archive` (NAME-VERSION.tgz) and its `provenance` to options.registry as
// [options.prefix/]NAME:TAG. Only registry, prefix and connection of `options` are used.
Result<ChartPushResult> push_chart(const std::filesystem::path& archive,
                                   const std::optional<std::filesystem::path>& provenance,
                                   const oci::PushOptions& options);

}  // namespace gapbundle::sources::helm
