#pragma once

#include <gapbundle/bundle/verifier.hpp>

#include <filesystem>
#include <functional>

namespace gapbundle::bundle {

enum class ExistingDestination { refuse, merge };

// Called once every check passed and the staging tree is durable, just before it is renamed onto
// the (missing or empty) destination, with the destination's absolute path; an error stops the
// unpack there. Not called for a merge, which is no single step.
using BeforeMove = std::function<Status(const VerifyReport& report, const std::filesystem::path& destination)>;

struct UnpackOptions {
    VerifyOptions verify;
    ExistingDestination existing = ExistingDestination::refuse;
    BeforeMove before_move;
    // For a delta: the unpacked tree of the release it builds on, from which the files the delta
    // does not carry are copied (and hashed). A delta without it is refused.
    std::filesystem::path base_tree;
};

struct UnpackReport {
    VerifyReport verify;
    std::uint64_t files_written = 0;
    std::uint64_t files_unchanged = 0;  // with merge: identical files already there
};

// Verifies while extracting into a staging folder beside `destination` (same file system),
// then moves it into place (fsync, rename). On any problem or error, `destination` is as it
// was and no staging folder is left. A non-empty destination is refused unless merge, which
// adds new files and refuses to change an existing one.
Result<UnpackReport> unpack_bundle(const std::filesystem::path& bundle,
                                   const std::filesystem::path& destination,
                                   const UnpackOptions& options);

}  // namespace gapbundle::bundle
