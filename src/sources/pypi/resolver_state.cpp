#include "resolver_state.hpp"

#include <gapbundle/sources/pypi/project_name.hpp>

#include <algorithm>
#include <utility>

namespace gapbundle::sources::pypi {

std::set<std::string> canonical_extras(const Requirement& requirement)
{
    std::set<std::string> extras;
    for (const auto& extra : requirement.extras) {
        extras.insert(canonical_name(extra));
    }
    return extras;
}

const std::vector<Requirement>& ResolverMoves::constraints_on(const std::string& name) const
{
    static const std::vector<Requirement> none;
    auto found = m_constraints.find(name);
    return found == m_constraints.end() ? none : found->second;
}

Result<std::vector<Candidate>> ResolverMoves::allowed_by(const std::string& name, const SpecifierSet& specifier)
{
    auto all = m_cache.candidates(name);
    if (!all) {
        return std::unexpected(all.error());
    }
    auto policy = m_options.allow_prereleases ? PrereleasePolicy::allow : PrereleasePolicy::pep440;
    return allowed_candidates(**all, specifier, policy);
}

Result<std::vector<Candidate>> ResolverMoves::allowed(const ResolverState& state, const std::string& name)
{
    std::vector<Specifier> clauses;
    if (auto found = state.criteria.find(name); found != state.criteria.end()) {
        for (const auto& info : found->second) {
            std::ranges::copy(info.requirement.specifier.specifiers(), std::back_inserter(clauses));
        }
    }
    for (const auto& constraint : constraints_on(name)) {
        std::ranges::copy(constraint.specifier.specifiers(), std::back_inserter(clauses));
    }
    return allowed_by(name, SpecifierSet(std::move(clauses)));
}

Result<bool> ResolverMoves::applies(const Requirement& requirement, const std::set<std::string>& extras) const
{
    if (!requirement.marker) {
        return true;
    }
    std::vector<std::string> list(extras.begin(), extras.end());
    auto holds = requirement.marker->evaluate(m_options.environment, list);
    if (!holds) {
        return std::unexpected(holds.error().context("requirement '" + requirement.to_string() + "'"));
    }
    return *holds;
}

namespace {

Status refuse_url(const Requirement& requirement, const std::string& parent)
{
    if (!requirement.url) {
        return {};
    }
    return fail(ErrorCode::manifest, "'" + parent + "' asks for '" + requirement.to_string() +
                                         "': direct URL requirements are not supported yet");
}

}  // namespace

Status ResolverMoves::activate(const ResolverState& state, const std::string& name, const std::set<std::string>* before,
                               const std::set<std::string>& after, const std::set<std::string>& causes,
                               std::vector<RequirementInfo>& work)
{
    const auto& candidate = state.pins.at(name).candidate;
    auto dependencies = m_cache.dependencies(candidate);
    if (!dependencies) {
        return std::unexpected(dependencies.error());
    }
    for (const auto& dependency : **dependencies) {
        auto now = applies(dependency, after);
        auto earlier = before ? applies(dependency, *before) : Result<bool>(false);
        if (!now || !earlier) {
            const auto& error = !now ? now.error() : earlier.error();
            return std::unexpected(error.context(name + " " + candidate.version.to_string()));
        }
        if (!*now || *earlier) {
            continue;
        }
        if (auto refused = refuse_url(dependency, name); !refused) {
            return refused;
        }
        work.push_back(RequirementInfo{.name = canonical_name(dependency.name),
                                       .requirement = dependency,
                                       .parent = name,
                                       .parent_version = candidate.version,
                                       .causes = causes});
    }
    return {};
}

Result<std::optional<Conflict>> ResolverMoves::add_one(ResolverState& state, RequirementInfo info,
                                                       std::vector<RequirementInfo>& work)
{
    auto name = info.name;
    auto requested_extras = canonical_extras(info.requirement);
    auto info_causes = info.causes;
    auto& infos = state.criteria[name];
    infos.push_back(std::move(info));
    auto allowed_now = allowed(state, name);
    if (!allowed_now) {
        return std::unexpected(allowed_now.error());
    }
    auto pinned = state.pins.find(name);
    if (pinned == state.pins.end()) {
        if (!allowed_now->empty()) {
            return std::nullopt;
        }
        std::set<std::string> causes;
        for (const auto& each : infos) {
            causes.insert(each.causes.begin(), each.causes.end());
        }
        return Conflict{.name = name, .requirements = infos, .pinned = std::nullopt, .causes = std::move(causes)};
    }
    const auto& version = pinned->second.candidate.version;
    if (std::ranges::none_of(*allowed_now, [&](const Candidate& c) { return c.version == version; })) {
        info_causes.insert(name);
        return Conflict{.name = name, .requirements = infos, .pinned = version, .causes = std::move(info_causes)};
    }
    auto before = pinned->second.extras;
    auto after = before;
    after.insert(requested_extras.begin(), requested_extras.end());
    if (after == before) {
        return std::nullopt;
    }
    pinned->second.extras = after;
    info_causes.insert(name);
    if (auto activated = activate(state, name, &before, after, info_causes, work); !activated) {
        return std::unexpected(activated.error());
    }
    return std::nullopt;
}

Result<std::optional<Conflict>> ResolverMoves::add(ResolverState& state, std::vector<RequirementInfo> work)
{
    for (std::size_t i = 0; i < work.size(); ++i) {
        auto info = work[i];  // a copy: add_one may grow `work`
        auto conflict = add_one(state, std::move(info), work);
        if (!conflict || *conflict) {
            return conflict;
        }
    }
    return std::nullopt;
}

Result<std::optional<Conflict>> ResolverMoves::pin(ResolverState& state, const Candidate& candidate)
{
    const auto& name = candidate.name;
    std::set<std::string> extras;
    std::set<std::string> extra_causes{name};
    for (const auto& info : state.criteria[name]) {
        auto asked = canonical_extras(info.requirement);
        if (!asked.empty()) {
            extras.insert(asked.begin(), asked.end());
            extra_causes.insert(info.causes.begin(), info.causes.end());
        }
    }
    state.pins.insert_or_assign(name, Pin{.candidate = candidate, .extras = extras});
    std::vector<RequirementInfo> work;
    const std::set<std::string> no_extras;
    if (auto base = activate(state, name, nullptr, no_extras, {name}, work); !base) {
        return std::unexpected(base.error());
    }
    if (auto more = activate(state, name, &no_extras, extras, extra_causes, work); !more) {
        return std::unexpected(more.error());
    }
    return add(state, std::move(work));
}

}  // namespace gapbundle::sources::pypi
