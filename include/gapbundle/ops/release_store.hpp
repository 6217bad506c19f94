#pragma once

#include <gapbundle/ops/check.hpp>

#include <filesystem>
#include <vector>

namespace gapbundle::ops {

// A folder that keeps every release the gap side installed:
//   STORE/releases/<channel>/<serial>/   one unpacked bundle each
//   STORE/current/<channel>              a symlink to ../releases/<channel>/<serial>
// A new bundle lands beside the others and current/<channel> switches to it in one rename, so
// whatever used the previous release keeps it until `gc`, and a bundle that fails changes nothing.
struct StoreUnpackReport {
    bundle::UnpackReport unpack;
    std::filesystem::path release;
    std::filesystem::path current;
    bool already_there = false;  // the same bundle was unpacked before: verified again, nothing written
};

// Verifies and unpacks into the store, then switches current/<channel> and records the channel
// state (in that order). The release folder is named from the bundle's index before it is
// authenticated and checked against the authenticated one after.
Result<StoreUnpackReport> unpack_into_store(const std::filesystem::path& bundle, const std::filesystem::path& store,
                                            const TrustOptions& trust);

struct GcReport {
    std::vector<std::filesystem::path> removed;
    std::vector<std::filesystem::path> kept;  // current releases, and the previous ones kept
};

// Removes the releases current/ does not point at, but the `keep_previous` newest of each channel.
Result<GcReport> gc_store(const std::filesystem::path& store, unsigned keep_previous);

}  // namespace gapbundle::ops
