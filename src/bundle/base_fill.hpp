#pragma once

// A delta's files that the bundle does not carry, copied from the base release's tree into the
// unpack's staging folder, each hashed as it is copied (private to the bundle layer).

#include <gapbundle/bundle/verifier.hpp>

#include <filesystem>

namespace gapbundle::bundle::detail {

// For every entry of `index` (an authenticated delta) with a base_path: checks that `base_tree`
// is the release the delta names (its gapbundle/index.json hashes to index.base's digest) and
// lists that path as a file with the entry's digest, then streams the file into `sink` and checks
// its size and sha256. What does not hold is a Problem in `report` (kind `base` or `hash`), and
// the fill stops there; an Error is a local failure (I/O).
Status fill_from_base(const Index& index, const std::filesystem::path& base_tree, EntrySink& sink, VerifyReport& report);

}  // namespace gapbundle::bundle::detail
