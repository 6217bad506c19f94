#include "resolver_explain.hpp"
#include "resolver_state.hpp"

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/resolver.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

namespace gapbundle::sources::pypi {

namespace {

// One decision: the project pinned, the candidates left to try, the state before it, and the
// earlier decisions its failed candidates were blamed on (conflict-directed backjumping).
struct Frame {
    std::string name;
    std::vector<Candidate> candidates;
    std::size_t next;
    ResolverState before;
    std::set<std::string> blamed;
};

struct Choice {
    std::string name;
    std::vector<Candidate> allowed;
};

bool pinned_exactly(const std::vector<RequirementInfo>& infos)
{
    return std::ranges::any_of(infos, [](const RequirementInfo& info) {
        return std::ranges::any_of(info.requirement.specifier.specifiers(), [](const Specifier& clause) {
            return clause.op() == SpecifierOperator::arbitrary ||
                   (clause.op() == SpecifierOperator::equal && !clause.is_wildcard());
        });
    });
}

class Search {
public:
    Search(ResolverMoves& moves, const ResolveOptions& options, const std::vector<Requirement>& roots)
        : m_moves(moves), m_options(options), m_roots(roots)
    {
    }

    Result<Resolution> run(std::vector<RequirementInfo> roots)
    {
        auto conflict = m_moves.add(m_state, std::move(roots));
        while (true) {
            if (!conflict) {
                return std::unexpected(conflict.error());
            }
            if (*conflict) {
                if (auto widened = widen((*conflict)->name); !widened) {
                    return std::unexpected(widened.error());
                }
                auto culprits = (*conflict)->causes;
                m_last = std::move(**conflict);
                auto resumed = backjump(std::move(culprits));
                if (!resumed) {
                    return std::unexpected(explain_conflict(*m_last, m_moves, m_roots));
                }
                conflict = std::move(*resumed);
                continue;
            }
            auto choice = choose();
            if (!choice) {
                return std::unexpected(choice.error());
            }
            if (!*choice) {
                conflict = misfit_pin();
                if (!conflict || *conflict) {
                    continue;
                }
                return resolution();
            }
            if (auto counted = count_round(); !counted) {
                return std::unexpected(counted.error());
            }
            auto first = (*choice)->allowed.front();
            m_frames.push_back(Frame{.name = (*choice)->name,
                                     .candidates = std::move((*choice)->allowed),
                                     .next = 1,
                                     .before = m_state,
                                     .blamed = {}});
            conflict = m_moves.pin(m_state, first);
        }
    }

private:
    Status count_round()
    {
        if (++m_rounds <= m_options.max_rounds) {
            return {};
        }
        return fail(ErrorCode::download, "cannot resolve: gave up after " + std::to_string(m_options.max_rounds) +
                                             " rounds of trying versions (requested: " + requested_text(m_roots) + ")");
    }

    // The next unpinned project, in pip's order (its provider's get_preference): setuptools
    // last, exact pins first, then the projects of the last conflict, then the shallowest in the tree (the request's own projects at
    // depth 1, in the order asked), then those with any version clause, then by name. Deciding
    // the top of the tree first means a conflict below it is settled below it, as pip does, so
    // the requested projects keep their newest versions when some solution allows them.
    Result<std::optional<Choice>> choose()
    {
        using Key = std::tuple<bool, bool, bool, std::size_t, std::size_t, bool, std::string>;
        std::optional<Choice> best;
        std::optional<Key> best_key;
        std::map<std::string, std::size_t> depths;
        for (const auto& [name, infos] : m_state.criteria) {
            if (m_state.pins.contains(name)) {
                continue;
            }
            const bool unfree = std::ranges::any_of(
                infos, [](const RequirementInfo& info) { return !info.requirement.specifier.empty(); });
            Key key{name == "setuptools", !pinned_exactly(infos), !is_backtrack_cause(name), depth(name, depths),
                    requested_order(name),        !unfree,                 name};
            if (best_key && !(key < *best_key)) {
                continue;
            }
            auto allowed = m_moves.allowed(m_state, name);
            if (!allowed) {
                return std::unexpected(allowed.error());
            }
            best = Choice{.name = name, .allowed = std::move(*allowed)};
            best_key = std::move(key);
        }
        return best;
    }

    // Part of the last conflict: the project it was on, or a parent that required it.
    [[nodiscard]] bool is_backtrack_cause(const std::string& name) const
    {
        if (!m_last) {
            return false;
        }
        return m_last->name == name || std::ranges::any_of(m_last->requirements, [&](const RequirementInfo& info) {
                   return info.parent == name;
               });
    }

    // 1 for a requested project, else one more than its shallowest pinned parent.
    std::size_t depth(const std::string& name, std::map<std::string, std::size_t>& memo) const
    {
        if (auto it = memo.find(name); it != memo.end()) {
            return it->second;
        }
        memo[name] = std::numeric_limits<std::size_t>::max() / 2;  // a cycle counts as far away
        std::size_t shallowest = std::numeric_limits<std::size_t>::max() / 2;
        if (auto it = m_state.criteria.find(name); it != m_state.criteria.end()) {
            for (const auto& info : it->second) {
                shallowest = std::min(shallowest, info.parent.empty() ? 1 : depth(info.parent, memo) + 1);
            }
        }
        memo[name] = shallowest;
        return shallowest;
    }

    [[nodiscard]] std::size_t requested_order(const std::string& name) const
    {
        for (std::size_t i = 0; i < m_roots.size(); ++i) {
            if (canonical_name(m_roots[i].name) == name) {
                return i;
            }
        }
        return m_roots.size();
    }

    // Undoes decisions back to the newest one among `culprits` and tries its next candidate;
    // decisions in between had no part in the conflict, so their other candidates would meet it
    // again. Returns the outcome of the new pin, or nullopt when no decision is left to change.
    std::optional<Result<std::optional<Conflict>>> backjump(std::set<std::string> culprits)
    {
        while (!m_frames.empty()) {
            auto& frame = m_frames.back();
            if (!culprits.contains(frame.name)) {
                m_frames.pop_back();
                continue;
            }
            culprits.erase(frame.name);
            frame.blamed.insert(culprits.begin(), culprits.end());
            if (frame.next < frame.candidates.size()) {
                if (auto counted = count_round(); !counted) {
                    return Result<std::optional<Conflict>>(std::unexpected(counted.error()));
                }
                m_state = frame.before;
                return m_moves.pin(m_state, frame.candidates[frame.next++]);
            }
            // Every candidate failed: blame what they failed on and what made this project
            // needed and narrowed its versions.
            culprits = std::move(frame.blamed);
            for (const auto& info : frame.before.criteria.at(frame.name)) {
                culprits.insert(info.causes.begin(), info.causes.end());
            }
            m_frames.pop_back();
        }
        return std::nullopt;
    }

    // A requirement that only pre-releases or an exactly pinned yanked version meet can admit
    // versions that were not allowed when the project was pinned; its decision gets them as
    // last resorts, so backjumping there can still reach them.
    Status widen(const std::string& name)
    {
        auto frame = std::ranges::find(m_frames, name, &Frame::name);
        if (frame == m_frames.end()) {
            return {};
        }
        auto allowed = m_moves.allowed(m_state, name);
        if (!allowed) {
            return std::unexpected(allowed.error());
        }
        for (auto& candidate : *allowed) {
            if (std::ranges::find(frame->candidates, candidate.version, &Candidate::version) ==
                frame->candidates.end()) {
                frame->candidates.push_back(std::move(candidate));
            }
        }
        return {};
    }

    // A last-resort pin stands only if the requirements that made it allowed are still there.
    Result<std::optional<Conflict>> misfit_pin()
    {
        for (const auto& [name, pin] : m_state.pins) {
            auto allowed = m_moves.allowed(m_state, name);
            if (!allowed) {
                return std::unexpected(allowed.error());
            }
            if (std::ranges::find(*allowed, pin.candidate.version, &Candidate::version) != allowed->end()) {
                continue;
            }
            const auto& infos = m_state.criteria.at(name);
            std::set<std::string> causes{name};
            for (const auto& info : infos) {
                causes.insert(info.causes.begin(), info.causes.end());
            }
            return Conflict{
                .name = name, .requirements = infos, .pinned = pin.candidate.version, .causes = std::move(causes)};
        }
        return std::nullopt;
    }

    Resolution resolution() const
    {
        Resolution result;
        for (const auto& [name, pin] : m_state.pins) {
            result.packages.push_back(ResolvedPackage{.name = name,
                                                      .version = pin.candidate.version,
                                                      .file_id = pin.candidate.file_id,
                                                      .extras = {pin.extras.begin(), pin.extras.end()}});
        }
        for (const auto& [name, infos] : m_state.criteria) {
            for (const auto& info : infos) {
                result.edges.push_back(
                    ResolutionEdge{.parent = info.parent, .child = name, .requirement = info.requirement.to_string()});
            }
        }
        auto key = [](const ResolutionEdge& e) { return std::tie(e.parent, e.child, e.requirement); };
        std::ranges::sort(result.edges, [&](const auto& a, const auto& b) { return key(a) < key(b); });
        auto same = [&](const auto& a, const auto& b) { return key(a) == key(b); };
        result.edges.erase(std::ranges::unique(result.edges, same).begin(), result.edges.end());
        return result;
    }

    ResolverMoves& m_moves;
    const ResolveOptions& m_options;
    const std::vector<Requirement>& m_roots;
    ResolverState m_state;
    std::vector<Frame> m_frames;
    std::optional<Conflict> m_last;
    std::size_t m_rounds = 0;
};

// Requirements whose markers hold for the target (without extras), refusing direct URLs.
Result<std::vector<Requirement>> applicable(const std::vector<Requirement>& requirements,
                                            const MarkerEnvironment& environment, const char* what)
{
    std::vector<Requirement> kept;
    for (const auto& requirement : requirements) {
        if (requirement.url) {
            return fail(ErrorCode::manifest, std::string(what) + " '" + requirement.to_string() +
                                                 "': direct URL requirements are not supported yet");
        }
        if (requirement.marker) {
            auto holds = requirement.marker->evaluate(environment, {});
            if (!holds) {
                return std::unexpected(holds.error().context(std::string(what) + " '" + requirement.to_string() + "'"));
            }
            if (!*holds) {
                continue;
            }
        }
        kept.push_back(requirement);
    }
    return kept;
}

}  // namespace

Result<Resolution> resolve(const std::vector<Requirement>& roots, CandidateProvider& provider,
                           const ResolveOptions& options)
{
    auto constraints = applicable(options.constraints, options.environment, "constraint");
    if (!constraints) {
        return std::unexpected(constraints.error());
    }
    std::map<std::string, std::vector<Requirement>> constraints_by_name;
    for (auto& constraint : *constraints) {
        constraints_by_name[canonical_name(constraint.name)].push_back(std::move(constraint));
    }
    auto requested = applicable(roots, options.environment, "requirement");
    if (!requested) {
        return std::unexpected(requested.error());
    }
    std::vector<RequirementInfo> infos;
    for (auto& requirement : *requested) {
        auto name = canonical_name(requirement.name);
        infos.push_back(RequirementInfo{.name = std::move(name),
                                        .requirement = std::move(requirement),
                                        .parent = {},
                                        .parent_version = std::nullopt,
                                        .causes = {}});
    }
    CandidateCache cache(provider);
    ResolverMoves moves(cache, options, std::move(constraints_by_name));
    return Search(moves, options, roots).run(std::move(infos));
}

}  // namespace gapbundle::sources::pypi
