#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/store/store.hpp>

#include <vector>

namespace gapbundle::sources::files {

// Appends a local entry's artifacts to `out`: one for a file, one per regular file below a folder
// (sorted). `origin` is "files[i]". Files unchanged since the last time are not read again
// (store::LocalDigests). Appending, once a folder's size is known, keeps a folder of 100,000
// files from being held twice while a separate list of it is moved over.
Status resolve_local(const manifest::Manifest& manifest, const manifest::FileSpec& spec, const std::string& origin,
                     const store::Store& store, std::vector<manifest::LockedArtifact>& out);

}  // namespace gapbundle::sources::files
