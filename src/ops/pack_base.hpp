#pragma once

// pack --base: the previous bundle (or its index.json, from `gapbundle inspect --index`) that a
// delta builds on, and the marking of the files it already holds.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>

namespace gapbundle::ops {

struct PackBase {
    bundle::Index index;
    std::string index_sha256;  // of its signed index.json: the gap side finds the release by it
};

// A bundle (its head is read; nothing is verified: the gap side matches the release it holds by
// index digest) or an index.json file.
Result<PackBase> load_pack_base(const std::filesystem::path& path);

// Names the base in `index` and gives every file whose sha256 the base holds a base_path (the
// base's first path of that digest), so that it is listed but not carried. The base must be on
// the same channel, with a lower serial.
Status apply_pack_base(bundle::Index& index, const PackBase& base, const std::filesystem::path& shown);

}  // namespace gapbundle::ops
