#pragma once

// pack --base: the previous bundle (or its index.json, from `gapbundle inspect --index`) that a
// delta builds on, and the marking of the files it already holds.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/path_list.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::ops {

// Only what a delta needs of its base, not the base's index: pack holds it through planning,
// and a whole index of 66,000 files (25 MB) beside planning's peak would break the 64 MiB bar.
struct PackBase {
    std::string channel;
    std::uint64_t serial = 0;
    std::string index_sha256;  // of its signed index.json: the gap side finds the release by it

    // A file of the base: its sha256 and where its first path (in path order) is in `paths`.
    using Digest = std::array<std::uint8_t, 32>;
    struct File {
        Digest sha256{};
        std::uint32_t path = 0;
    };
    std::vector<File> files;  // sorted by digest, one per digest
    PathList paths;
};

// A bundle (its head is read; nothing is verified: the gap side matches the release it holds by
// index digest) or an index.json file.
Result<PackBase> load_pack_base(const std::filesystem::path& path);

// Names the base in `index` and gives every file whose sha256 the base holds a base_path (the
// base's first path of that digest), so that it is listed but not carried. The base must be on
// the same channel, with a lower serial.
Status apply_pack_base(bundle::Index& index, const PackBase& base, const std::filesystem::path& shown);

}  // namespace gapbundle::ops
