#pragma once

// unpack --merge: add a verified staging tree to an existing destination without changing
// anything already there (private to the bundle layer).

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>

namespace gapbundle::bundle::detail {

struct MergeResult {
    std::uint64_t files_moved = 0;
    std::uint64_t files_unchanged = 0;
};

// First checks every entry against `destination` (a different existing file, a folder where a
// file should be, a symlink on the way → ErrorCode::usage, nothing moved); then renames the new
// entries (and the gapbundle/ metadata, which describes the latest bundle) into place.
Result<MergeResult> merge_into(const Index& index, const std::filesystem::path& staging,
                               const std::filesystem::path& destination);

}  // namespace gapbundle::bundle::detail
