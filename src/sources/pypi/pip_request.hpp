#pragma once

// What the manifest's pip section asks for, with its requirements files read: the roots, the
// constraints, the pinned hashes and the indexes. Private to the pip kind.

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/sources/pypi/requirement.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

struct PipRequest {
    std::vector<Requirement> roots;
    std::vector<Requirement> constraints;
    // Canonical name → "sha256:<hex>" values the requirements files allow for it.
    std::map<std::string, std::set<std::string>, std::less<>> pinned_hashes;
    std::vector<std::string> indexes;  // the primary first, no trailing '/'
    bool allow_prereleases = false;
};

// ErrorCode::manifest naming the manifest line, or the requirements file and its line.
Result<PipRequest> gather_request(const manifest::Manifest& manifest, const manifest::PipSpec& spec);

}  // namespace gapbundle::sources::pypi
