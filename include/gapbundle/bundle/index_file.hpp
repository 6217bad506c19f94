#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>

namespace gapbundle::bundle {

// An index.json file parsed as it is read, 64 KiB at a time (parse_index_stream); errors name the
// file (io when it cannot be read, verification when it is not a valid index).
Result<StreamedIndex> parse_index_file(const std::filesystem::path& path);

}  // namespace gapbundle::bundle
