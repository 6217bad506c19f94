#pragma once

// The container images a chart deploys, found without rendering it (issue 9's `images: auto`).
//
// Where they come from, in this order:
// 1. Chart.yaml's annotations `artifacthub.io/images` and `helm.sh/images` (HIP-0015): YAML lists
//    of {name, image, ...}; every `image` is taken.
// 2. values.yaml (the chart's and each vendored subchart's own), walked as a tree:
//    - a mapping with a non-empty `repository` (optionally `registry`, `tag`, `digest`) is one
//      image: [registry/]repository[:tag][@digest]; an empty or missing tag becomes the chart's
//      appVersion, as `{{ .Values.image.tag | default .Chart.AppVersion }}` does;
//    - a scalar under a key `image` or ending in `Image` that reads as a reference with a tag or a
//      digest ("nginx:1.25", "quay.io/x/y@sha256:...") is one image;
//    - `global.imageRegistry`, when set, replaces the registry of the images of that values file,
//      as Bitnami's charts do.
// Limits (stated in docs/helm.md): templates that assemble references another way, images named
// only in templates, values a deployment overrides, and conditions (an image of a disabled
// subchart is still found) are not seen; a repository with neither tag nor appVersion is skipped.

#include <gapbundle/sources/helm/chart.hpp>

#include <string>
#include <vector>

namespace gapbundle::sources::helm {

struct FoundImage {
    std::string ref;    // normalised ("docker.io/bitnami/redis:7.2.4-debian-12-r9")
    std::string where;  // "redis: annotation artifacthub.io/images", "redis: values.yaml line 12", "redis/common: ..."
};

struct ImageSearch {
    std::vector<FoundImage> images;  // unique by ref, in the order found
    std::vector<std::string> notes;  // what looked like an image but was not taken, and why
};

ImageSearch find_chart_images(const Chart& chart);

}  // namespace gapbundle::sources::helm
