#include <gapbundle/sources/pypi/specifier.hpp>

#include "pep_text.hpp"

#include <algorithm>

namespace gapbundle::sources::pypi {
namespace {

bool all_match(const std::vector<Specifier>& specifiers, const Version& version)
{
    return std::all_of(specifiers.begin(), specifiers.end(), [&](const Specifier& s) { return s.matches(version); });
}

}  // namespace

Result<SpecifierSet> SpecifierSet::parse(std::string_view text)
{
    std::vector<Specifier> specifiers;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        const auto clause = pep_text::trim(text.substr(start, end - start));
        // packaging skips empty clauses, so ">=1.0," and "" are accepted.
        if (!clause.empty()) {
            auto specifier = Specifier::parse(clause);
            if (!specifier) return std::unexpected(specifier.error());
            specifiers.push_back(std::move(*specifier));
        }
        start = end + 1;
    }
    return SpecifierSet(std::move(specifiers));
}

bool SpecifierSet::mentions_prerelease() const
{
    return std::any_of(m_specifiers.begin(), m_specifiers.end(),
                       [](const Specifier& s) { return s.mentions_prerelease(); });
}

bool SpecifierSet::contains(const Version& version, Prereleases policy) const
{
    if (version.is_prerelease()) {
        if (policy == Prereleases::exclude) return false;
        if (policy == Prereleases::by_specifier && !mentions_prerelease()) return false;
    }
    return all_match(m_specifiers, version);
}

std::vector<Version> SpecifierSet::filter(std::span<const Version> versions, Prereleases policy) const
{
    std::vector<Version> matching;
    for (const auto& version : versions) {
        if (all_match(m_specifiers, version)) matching.push_back(version);
    }
    if (policy == Prereleases::allow || (policy == Prereleases::by_specifier && mentions_prerelease())) {
        return matching;
    }
    std::vector<Version> finals;
    std::copy_if(matching.begin(), matching.end(), std::back_inserter(finals),
                 [](const Version& v) { return !v.is_prerelease(); });
    if (finals.empty() && policy == Prereleases::by_specifier) return matching;
    return finals;
}

std::string SpecifierSet::to_string() const
{
    std::string out;
    for (const auto& specifier : m_specifiers) {
        if (!out.empty()) out += ',';
        out += specifier.to_string();
    }
    return out;
}

}  // namespace gapbundle::sources::pypi
