#pragma once

// Paths of an index that differ only in ASCII letter case (private to the bundle layer): on a
// case-insensitive file system (macOS, Windows, a FAT stick) one would land on the other.

#include <gapbundle/bundle/index.hpp>

#include <string>
#include <utility>
#include <vector>

namespace gapbundle::bundle::detail {

// Each pair is (the path that sorts first, the other one); at most `limit` pairs.
std::vector<std::pair<std::string, std::string>> case_collisions(const std::vector<Entry>& sorted_entries,
                                                                 std::size_t limit);

}  // namespace gapbundle::bundle::detail
