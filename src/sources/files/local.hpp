#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/store/store.hpp>

#include <vector>

namespace gapbundle::sources::files {

// A local entry's artifacts: one for a file, one per regular file below a folder (sorted).
// `origin` is "files[i]". Files unchanged since the last time are not read again
// (store::LocalDigests).
Result<std::vector<manifest::LockedArtifact>> resolve_local(const manifest::Manifest& manifest,
                                                            const manifest::FileSpec& spec,
                                                            const std::string& origin, const store::Store& store);

}  // namespace gapbundle::sources::files
