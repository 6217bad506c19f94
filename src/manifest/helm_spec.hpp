#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

namespace gapbundle::manifest::detail {

// The `helm:` list: each entry a chart from a classic repository (`repo` + `chart`) or an OCI
// registry (`oci: oci://REGISTRY/PATH/NAME`), with `version` (a constraint) and `images`.
Result<std::vector<HelmChartSpec>> parse_helm(const YamlReader& reader, const YAML::Node& node);

}  // namespace gapbundle::manifest::detail
