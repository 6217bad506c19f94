#include "resolver_candidates.hpp"

#include <algorithm>
#include <utility>

namespace gapbundle::sources::pypi {

Result<const std::vector<Candidate>*> CandidateCache::candidates(const std::string& name)
{
    if (auto found = m_candidates.find(name); found != m_candidates.end()) {
        return &found->second;
    }
    auto fetched = m_provider.candidates(name);
    if (!fetched) {
        return std::unexpected(fetched.error());
    }
    auto list = std::move(*fetched);
    std::ranges::sort(list, [](const Candidate& a, const Candidate& b) {
        if (auto order = b.version <=> a.version; order != 0) {
            return order < 0;
        }
        return a.file_id < b.file_id;
    });
    auto same_version = [](const Candidate& a, const Candidate& b) { return a.version == b.version; };
    list.erase(std::ranges::unique(list, same_version).begin(), list.end());
    for (auto& candidate : list) {
        candidate.name = name;
    }
    return &m_candidates.emplace(name, std::move(list)).first->second;
}

Result<const std::vector<Requirement>*> CandidateCache::dependencies(const Candidate& candidate)
{
    auto key = candidate.name + '\n' + candidate.version.to_string() + '\n' + candidate.file_id;
    if (auto found = m_dependencies.find(key); found != m_dependencies.end()) {
        return &found->second;
    }
    auto fetched = m_provider.dependencies(candidate);
    if (!fetched) {
        return std::unexpected(fetched.error());
    }
    return &m_dependencies.emplace(std::move(key), std::move(*fetched)).first->second;
}

namespace {

bool is_exact_pin(const SpecifierSet& specifier)
{
    return std::ranges::any_of(specifier.specifiers(), [](const Specifier& clause) {
        return clause.op() == SpecifierOperator::arbitrary ||
               (clause.op() == SpecifierOperator::equal && !clause.is_wildcard());
    });
}

}  // namespace

std::vector<Candidate> allowed_candidates(const std::vector<Candidate>& all, const SpecifierSet& specifier,
                                          PrereleasePolicy policy)
{
    std::vector<Version> versions;
    versions.reserve(all.size());
    for (const auto& candidate : all) {
        versions.push_back(candidate.version);
    }
    auto kept =
        specifier.filter(versions, policy == PrereleasePolicy::allow ? Prereleases::allow : Prereleases::by_specifier);
    std::vector<Candidate> matching;
    for (const auto& candidate : all) {
        if (std::ranges::find(kept, candidate.version) != kept.end()) {
            matching.push_back(candidate);
        }
    }
    bool all_yanked = std::ranges::all_of(matching, [](const Candidate& c) { return c.yanked; });
    if (all_yanked && is_exact_pin(specifier)) {
        return matching;
    }
    std::erase_if(matching, [](const Candidate& c) { return c.yanked; });
    return matching;
}

}  // namespace gapbundle::sources::pypi
