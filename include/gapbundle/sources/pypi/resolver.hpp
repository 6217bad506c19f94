#pragma once

#include <gapbundle/sources/pypi/markers.hpp>
#include <gapbundle/sources/pypi/requirement.hpp>
#include <gapbundle/sources/pypi/version.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

// One version of a project the resolver may pin.
struct Candidate {
    std::string name;  // canonical
    Version version;
    std::string file_id;  // opaque to the resolver: e.g. the wheel chosen for the target
    bool yanked;          // PEP 592; used only when an ==/=== pin matches nothing else
};

// What the resolver asks about projects; the index client backs it, tests use memory.
class CandidateProvider {
public:
    virtual ~CandidateProvider() = default;
    // Every version with a usable file for the target, yanked ones flagged, in any order.
    // An unknown project is an empty list, not an error.
    virtual Result<std::vector<Candidate>> candidates(const std::string& canonical_name) = 0;
    // The candidate's Requires-Dist, markers and extras unevaluated.
    virtual Result<std::vector<Requirement>> dependencies(const Candidate& candidate) = 0;
};

struct ResolveOptions {
    MarkerEnvironment environment;  // the target's
    bool allow_prereleases = false;
    std::vector<Requirement> constraints;  // pip's -c: restrict versions, never add a package
    std::size_t max_rounds = 200000;       // pins tried before giving up
};

struct ResolvedPackage {
    std::string name;  // canonical
    Version version;
    std::string file_id;
    std::vector<std::string> extras;  // canonical, sorted
};

// parent requires child, as written in the parent's metadata (or in the request).
struct ResolutionEdge {
    std::string parent;  // canonical; empty for the request itself
    std::string child;   // canonical
    std::string requirement;
};

struct Resolution {
    std::vector<ResolvedPackage> packages;  // sorted by name
    std::vector<ResolutionEdge> edges;      // sorted by parent, child, requirement
};

// Pins every project the roots need for the target, newest versions first, backjumping on
// conflicts. Deterministic for the same inputs, whatever order the provider answers in.
// Unsatisfiable requirements fail with ErrorCode::download and the clash named:
// "cannot resolve: app 1.0 requires lib<2, and tool 3.1 requires lib>=2 (requested: app, tool)"
// or "no version of 'lib' fits the target (versions seen: 1.0, 2.0; wanted lib>=3)".
// Direct URL requirements are not supported yet (ErrorCode::manifest).
Result<Resolution> resolve(const std::vector<Requirement>& roots, CandidateProvider& provider,
                           const ResolveOptions& options);

}  // namespace gapbundle::sources::pypi
