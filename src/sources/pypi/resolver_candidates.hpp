#pragma once

// The resolver's view of the provider: each project's candidates fetched once and kept newest
// first, each candidate's dependencies fetched once, and the filter requirements put on them.

#include <gapbundle/sources/pypi/resolver.hpp>
#include <gapbundle/sources/pypi/specifier.hpp>
#include <gapbundle/util/error.hpp>

#include <map>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {

class CandidateCache {
public:
    explicit CandidateCache(CandidateProvider& provider) : m_provider(provider) {}

    // Newest first, one per version; ties broken by file_id so the provider's order never matters.
    Result<const std::vector<Candidate>*> candidates(const std::string& name);
    Result<const std::vector<Requirement>*> dependencies(const Candidate& candidate);

private:
    CandidateProvider& m_provider;
    std::map<std::string, std::vector<Candidate>> m_candidates;
    std::map<std::string, std::vector<Requirement>> m_dependencies;
};

enum class PrereleasePolicy { pep440, allow };

// The candidates every clause of `specifier` admits, as pip picks them: pre-releases only when
// allowed, named by a clause, or the only matches; yanked ones only when nothing else matches
// an exact ==/=== pin.
std::vector<Candidate> allowed_candidates(const std::vector<Candidate>& all, const SpecifierSet& specifier,
                                          PrereleasePolicy policy);

}  // namespace gapbundle::sources::pypi
