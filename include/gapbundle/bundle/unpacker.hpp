#pragma once

#include <gapbundle/bundle/verifier.hpp>

#include <filesystem>

namespace gapbundle::bundle {

enum class ExistingDestination { refuse, merge };

struct UnpackOptions {
    VerifyOptions verify;
    ExistingDestination existing = ExistingDestination::refuse;
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
