#pragma once

// The media types of a Helm chart stored in an OCI registry (helm's pkg/registry/constants.go).

#include <string_view>

namespace gapbundle::sources::helm {

inline constexpr std::string_view k_config_media_type = "application/vnd.cncf.helm.config.v1+json";
inline constexpr std::string_view k_chart_media_type = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
inline constexpr std::string_view k_prov_media_type = "application/vnd.cncf.helm.chart.provenance.v1.prov";

}  // namespace gapbundle::sources::helm
