#pragma once

#include <filesystem>

namespace gapbundle::testing {

// Builds, with umoci, an OCI layout at `folder`/layout holding two images that share their first
// layer: "app" (3 layers) and "tool" (2 layers). Throws std::runtime_error with umoci's output
// when a step fails.
std::filesystem::path build_umoci_images(const std::filesystem::path& folder);

}  // namespace gapbundle::testing
