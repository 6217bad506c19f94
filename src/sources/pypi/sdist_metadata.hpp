#pragma once

// Core metadata of a source distribution, from the PKG-INFO at the top of its archive
// (PEP 643: reliable from Metadata-Version 2.2 on, unless a field is marked Dynamic).
// Private to the pip kind.

#include <gapbundle/sources/pypi/core_metadata.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string_view>

namespace gapbundle::sources::pypi {

// `archive` is a .tar.gz or .zip sdist named `filename`; errors are ErrorCode::download naming it.
Result<CoreMetadata> read_sdist_metadata(const std::filesystem::path& archive, std::string_view filename);

}  // namespace gapbundle::sources::pypi
