#pragma once

// Walking a relative path below a folder fd without ever following a symlink (private).

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <string>
#include <string_view>

namespace gapbundle::bundle::detail {

struct ParentDir {
    UniqueFd fd;       // the folder that holds the last component
    std::string leaf;  // the last component
};

// Opens every folder of `path` but the last component, below `root`, with O_NOFOLLOW|O_DIRECTORY.
// errno-style failures come back as ErrorCode::io naming `shown` (how the caller names the tree).
// On failure, *err (when given) receives the errno, so callers can treat ENOENT specially.
Result<ParentDir> open_parent(int root, std::string_view path, std::string_view shown, int* err = nullptr);

// Opens `path` itself as a folder below `root` (O_NOFOLLOW on every component).
Result<UniqueFd> open_dir(int root, std::string_view path, std::string_view shown, int* err = nullptr);

}  // namespace gapbundle::bundle::detail
