#pragma once

#include <gapbundle/sources/source_kind.hpp>

#include <memory>

namespace gapbundle::sources {

// The "images" kind: container images from any Distribution (OCI) registry, carried as one OCI
// image layout under oci/ in the bundle (see docs/bundle-format.md).
std::unique_ptr<SourceKind> make_images_kind();

}  // namespace gapbundle::sources
