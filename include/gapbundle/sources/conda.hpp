#pragma once

#include <gapbundle/sources/source_kind.hpp>

#include <memory>

namespace gapbundle::sources {

// The "conda" kind: conda packages solved for the target subdir from conda channels, carried as
// local channels under conda/ with an explicit lock file (docs/conda.md).
std::unique_ptr<SourceKind> make_conda_kind();

}  // namespace gapbundle::sources
