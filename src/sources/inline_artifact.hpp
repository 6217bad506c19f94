#pragma once

// A small document a kind writes itself (a layout's index.json, a Simple API page, a hub cache's
// ref), carried in the lock with its bytes. Private to the sources layer.

#include <gapbundle/manifest/lock.hpp>

#include <string>

namespace gapbundle::sources::detail {

manifest::LockedArtifact inline_artifact(std::string kind, std::string bundle_path, std::string content,
                                         std::string origin);

}  // namespace gapbundle::sources::detail
