#pragma once

#include <gapbundle/sources/conda/match_spec.hpp>
#include <gapbundle/sources/conda/record.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {

struct SolveRequest {
    std::vector<MatchSpec> specs;
    // Highest priority first. Strict channel priority: a name is taken only from the first
    // channel that has it (or from the channel a requested spec names). Empty: every record's
    // channel ranks the same. A record of a channel not listed is a usage error.
    std::vector<std::string> channels;
    // "__glibc" -> "2.28": installed, locked records with build "0". A depends on a "__" name
    // that is not here cannot be satisfied.
    std::map<std::string, std::string> virtual_packages;
    std::size_t max_steps = 1'000'000;  // candidates tried before giving up
};

struct Solution {
    std::vector<RepodataRecord> records;           // one per name, sorted by name; no virtual packages
    std::vector<RepodataRecord> virtual_packages;  // as built from the request, sorted by name
};

// "__glibc" = "2.28" -> {name __glibc, version 2.28, build "0", channel "@virtual"}.
// Errors (ErrorCode::usage) name the package: "virtual package '__cuda': invalid version 'x.'".
Result<std::vector<RepodataRecord>> virtual_records(const std::map<std::string, std::string>& packages);

// Picks one record per needed name so that every spec, every chosen record's depends and every
// chosen record's constrains hold, as conda does: per name, the first channel that has it, then
// fewer track_features, higher version, higher build_number, newer timestamp; depth-first with
// conflict-directed backjumping when a choice fails. Deterministic for the same inputs in any order.
// No solution fails with ErrorCode::download, naming the name that ran out of candidates and why
// each candidate was refused, nested when a refusal came from a later name:
//   cannot solve for foo, numpy <2:
//     foo: no candidate fits (foo (requested)):
//       foo 2.0 b0 (conda-forge): requires numpy >=2, which conflicts with numpy <2 (requested)
// More than SolveRequest::max_steps candidates tried also fails, saying so.
Result<Solution> solve(const SolveRequest& request, std::span<const RepodataRecord> candidates);

}  // namespace gapbundle::sources::conda
