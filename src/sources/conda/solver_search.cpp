#include "solver_search.hpp"

#include <algorithm>
#include <iterator>

namespace gapbundle::sources::conda {
namespace {

void merge_into(std::vector<NameId>& into, const std::vector<NameId>& from)
{
    std::vector<NameId> merged;
    std::ranges::set_union(into, from, std::back_inserter(merged));
    into = std::move(merged);
}

}  // namespace

Search::Search(SolverIndex& index, std::size_t max_steps) : m_index(index), m_steps_left(max_steps)
{
    grow();
}

void Search::grow()
{
    const auto size = m_index.name_count();
    if (m_decided.size() >= size) return;
    m_decided.resize(size);
    m_given.resize(size);
    m_requirements.resize(size);
    m_depends_count.resize(size);
}

void Search::give(RecordId record)
{
    const auto name = m_index.record_name(record);
    decide(name, record);
    m_given[name] = true;
    m_decisions.pop_back();  // not a choice: never undone
}

void Search::require(SpecId spec)
{
    std::vector<NameId> touched;
    add(m_index.spec_name(spec), Requirement{.spec = spec, .source = k_requested, .constrain = false}, touched);
}

std::vector<RecordId> Search::chosen() const
{
    std::vector<RecordId> out;
    for (std::size_t name = 0; name < m_decided.size(); ++name) {
        if (m_decided[name] && !m_given[name]) out.push_back(*m_decided[name]);
    }
    return out;
}

void Search::add(NameId name, Requirement requirement, std::vector<NameId>& touched)
{
    grow();
    m_requirements[name].push_back(requirement);
    touched.push_back(name);
    if (!requirement.constrain && m_depends_count[name]++ == 0 && !m_decided[name]) m_open.push_back(name);
}

void Search::decide(NameId name, RecordId record)
{
    const auto& specs = m_index.record_specs(record);
    grow();
    m_decisions.push_back(Decision{.name = name, .touched = {}, .open_size = m_open.size()});
    m_decided[name] = record;
    std::vector<NameId> touched;
    for (auto spec : specs.depends) {
        add(m_index.spec_name(spec), Requirement{.spec = spec, .source = record, .constrain = false}, touched);
    }
    for (auto spec : specs.constrains) {
        add(m_index.spec_name(spec), Requirement{.spec = spec, .source = record, .constrain = true}, touched);
    }
    m_decisions.back().touched = std::move(touched);
}

void Search::undo()
{
    auto& decision = m_decisions.back();
    for (auto it = decision.touched.rbegin(); it != decision.touched.rend(); ++it) {
        if (!m_requirements[*it].back().constrain) --m_depends_count[*it];
        m_requirements[*it].pop_back();
    }
    m_open.resize(decision.open_size);
    m_decided[decision.name].reset();
    m_decisions.pop_back();
}

// The names whose choices put requirements on `name` (the request and virtual packages aside).
std::vector<NameId> Search::sources(NameId name) const
{
    std::vector<NameId> out;
    for (const auto& requirement : m_requirements[name]) {
        if (requirement.source == k_requested) continue;
        const auto source = m_index.record_name(requirement.source);
        if (!m_given[source]) out.push_back(source);
    }
    std::ranges::sort(out);
    const auto [first, last] = std::ranges::unique(out);
    out.erase(first, last);
    return out;
}

// Candidates of `name` meeting all its requirements (and `extra`), counted up to `limit`.
std::size_t Search::allowed_count(NameId name, std::optional<SpecId> extra, std::size_t limit)
{
    std::size_t count = 0;
    for (auto candidate : m_index.candidates(name)) {
        if (extra && !m_index.matches(*extra, candidate)) continue;
        const bool fits = std::ranges::all_of(m_requirements[name],
                                              [&](const Requirement& r) { return m_index.matches(r.spec, candidate); });
        if (fits && ++count >= limit) break;
    }
    return count;
}

// The first open name with no or one candidate left, else the first open name.
std::optional<NameId> Search::pick()
{
    std::optional<NameId> first;
    for (auto name : m_open) {
        if (m_decided[name]) continue;
        if (allowed_count(name, std::nullopt, 2) <= 1) return name;
        if (!first) first = name;
    }
    return first;
}

std::optional<std::pair<Rejection, std::vector<NameId>>> Search::check(RecordId candidate)
{
    const auto& specs = m_index.record_specs(candidate);
    grow();
    using Kind = Rejection::Kind;
    bool constrain = false;
    const auto reject = [&](Kind kind, SpecId spec, std::vector<NameId> blame) {
        Rejection rejection{
            .kind = kind, .candidate = candidate, .spec = spec, .installed = 0, .others = {}, .deeper = {}};
        const auto name = m_index.spec_name(spec);
        if (kind == Kind::conflicts_installed || kind == Kind::constrains_installed) {
            rejection.installed = *m_decided[name];
        }
        if (kind == Kind::unsatisfiable) rejection.others = m_requirements[name];
        rejection.constrain = constrain;
        return std::make_optional(std::pair{std::move(rejection), std::move(blame)});
    };
    if (specs.error) return reject(Kind::bad_specs, 0, {});
    for (const auto* list : {&specs.depends, &specs.constrains}) {
        constrain = list == &specs.constrains;
        for (auto spec : *list) {
            const auto name = m_index.spec_name(spec);
            if (name == m_index.record_name(candidate)) {  // on its own name: it must match itself
                if (m_index.matches(spec, candidate)) continue;
                return reject(Kind::contradicts_itself, spec, {});
            }
            if (const auto installed = m_decided[name]) {
                if (m_index.matches(spec, *installed)) continue;
                return reject(constrain ? Kind::constrains_installed : Kind::conflicts_installed, spec,
                              m_given[name] ? std::vector<NameId>{} : std::vector<NameId>{name});
            }
            if (constrain && m_depends_count[name] == 0) continue;  // not installed: nothing to restrict
            if (allowed_count(name, spec, 1) == 0) return reject(Kind::unsatisfiable, spec, sources(name));
        }
    }
    return std::nullopt;
}

std::optional<Failure> Search::descend()
{
    const auto next = pick();
    if (!next) return std::nullopt;
    const NameId name = *next;
    Failure failure{.conflict = sources(name), .culprit = {}, .gave_up = false};
    auto exhaustion =
        std::make_shared<Exhaustion>(Exhaustion{.name = name, .requirements = m_requirements[name], .rejections = {}});
    for (auto candidate : m_index.candidates(name)) {
        const bool fits = std::ranges::all_of(m_requirements[name],
                                              [&](const Requirement& r) { return m_index.matches(r.spec, candidate); });
        if (!fits) continue;
        if (m_steps_left == 0) return Failure{.conflict = {}, .culprit = exhaustion, .gave_up = true};
        --m_steps_left;
        if (auto rejected = check(candidate)) {
            merge_into(failure.conflict, rejected->second);
            exhaustion->rejections.push_back(std::move(rejected->first));
            continue;
        }
        decide(name, candidate);
        auto deeper = descend();
        if (!deeper) return std::nullopt;
        undo();
        if (deeper->gave_up || !std::ranges::binary_search(deeper->conflict, name)) return deeper;  // backjump
        std::erase(deeper->conflict, name);
        merge_into(failure.conflict, deeper->conflict);
        exhaustion->rejections.push_back(Rejection{.kind = Rejection::Kind::deeper,
                                                   .candidate = candidate,
                                                   .spec = 0,
                                                   .installed = 0,
                                                   .others = {},
                                                   .deeper = deeper->culprit});
    }
    failure.culprit = std::move(exhaustion);
    return failure;
}

}  // namespace gapbundle::sources::conda
