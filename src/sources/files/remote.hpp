#pragma once

#include <gapbundle/sources/source_kind.hpp>

#include <string>
#include <vector>

namespace gapbundle::sources::files {

struct RemoteEntry {
    const manifest::FileSpec* spec = nullptr;
    std::string origin;  // "files[i]"
};

// Downloads every entry into the store in one parallel batch (skipping a blob the store already
// has when the manifest gives its sha256); one artifact per entry, in entry order.
Result<std::vector<manifest::LockedArtifact>> resolve_remote(ResolveContext& context,
                                                             const std::vector<RemoteEntry>& entries);

}  // namespace gapbundle::sources::files
