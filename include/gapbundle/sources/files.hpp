#pragma once

#include <gapbundle/sources/source_kind.hpp>

#include <memory>

namespace gapbundle::sources {

// The "files" kind: plain files over http(s), and local files or whole folders (file:// or a
// path relative to the manifest), landing under files/<path> in the bundle.
std::unique_ptr<SourceKind> make_files_kind();

}  // namespace gapbundle::sources
