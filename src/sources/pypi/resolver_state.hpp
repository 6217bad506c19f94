#pragma once

// The resolver's partial solution and the two moves that grow it: adding requirements and
// pinning a candidate. Each move reports the first conflict it meets instead of failing, so
// the search can backjump.

#include "resolver_candidates.hpp"

#include <gapbundle/sources/pypi/resolver.hpp>
#include <gapbundle/util/error.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

struct RequirementInfo {
    std::string name;  // canonical name of the project required
    Requirement requirement;
    std::string parent;  // canonical; empty for the request
    std::optional<Version> parent_version;
    // The pinned projects this requirement exists because of: its parent, and whoever asked
    // the parent for the extra that brought it in. Changing one of them may remove it.
    std::set<std::string> causes;
};

struct Pin {
    Candidate candidate;
    std::set<std::string> extras;  // canonical
};

struct ResolverState {
    std::map<std::string, Pin> pins;
    std::map<std::string, std::vector<RequirementInfo>> criteria;  // who requires each project
};

struct Conflict {
    std::string name;
    std::vector<RequirementInfo> requirements;  // every requirement on `name` at that point
    std::optional<Version> pinned;              // set when a new requirement rejects the pin
    std::set<std::string> causes;               // the pins whose change might resolve it
};

class ResolverMoves {
public:
    ResolverMoves(CandidateCache& cache, const ResolveOptions& options,
                  std::map<std::string, std::vector<Requirement>> constraints)
        : m_cache(cache), m_options(options), m_constraints(std::move(constraints))
    {
    }

    // The candidates of `name` every requirement on it and every constraint admit, newest first.
    Result<std::vector<Candidate>> allowed(const ResolverState& state, const std::string& name);
    // The candidates a single set of clauses admits (for explaining a conflict).
    Result<std::vector<Candidate>> allowed_by(const std::string& name, const SpecifierSet& specifier);

    Result<std::optional<Conflict>> add(ResolverState& state, std::vector<RequirementInfo> work);
    Result<std::optional<Conflict>> pin(ResolverState& state, const Candidate& candidate);

    [[nodiscard]] const std::vector<Requirement>& constraints_on(const std::string& name) const;
    CandidateCache& cache() { return m_cache; }

private:
    Result<bool> applies(const Requirement& requirement, const std::set<std::string>& extras) const;
    Result<std::optional<Conflict>> add_one(ResolverState& state, RequirementInfo info,
                                            std::vector<RequirementInfo>& work);
    // Queues the pinned candidate's dependencies that hold with `after` extras but did not with
    // `before` (nullptr: none were queued yet).
    Status activate(const ResolverState& state, const std::string& name, const std::set<std::string>* before,
                    const std::set<std::string>& after, const std::set<std::string>& causes,
                    std::vector<RequirementInfo>& work);

    CandidateCache& m_cache;
    const ResolveOptions& m_options;
    std::map<std::string, std::vector<Requirement>> m_constraints;
};

// The requirements' extras, canonical.
std::set<std::string> canonical_extras(const Requirement& requirement);

}  // namespace gapbundle::sources::pypi
