#pragma once

#include <gapbundle/sources/source_kind.hpp>

#include <memory>

namespace gapbundle::sources {

// The "helm" kind: charts from classic chart repositories and OCI registries, with the
// dependencies they do not vendor, carried as a chart repository under helm/; the images they
// deploy go to the images kind (docs/helm.md). Runs before "images".
std::unique_ptr<SourceKind> make_helm_kind();

}  // namespace gapbundle::sources
