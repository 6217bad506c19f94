#include "solver_explain.hpp"

namespace gapbundle::sources::conda {
namespace {

constexpr std::size_t k_max_rejections = 8;
constexpr int k_max_depth = 4;

std::string describe(const RepodataRecord& record)
{
    return record.name + " " + record.version.text() + " " + record.build + " (" + record.channel + ")";
}

std::string describe(const SolverIndex& index, const Requirement& requirement)
{
    const auto& text = index.spec(requirement.spec).text();
    if (requirement.source == k_requested) return text + " (requested)";
    const auto& source = index.record(requirement.source);
    return text + (requirement.constrain ? " (constrained by " : " (required by ") + source.name + " " +
           source.version.text() + " " + source.build + ")";
}

std::string join(const SolverIndex& index, const std::vector<Requirement>& requirements)
{
    std::string out;
    for (const auto& requirement : requirements) out += (out.empty() ? "" : " and ") + describe(index, requirement);
    return out;
}

std::string missing(const SolverIndex& index, NameId name)
{
    const auto& text = index.name(name);
    if (text.starts_with("__")) return "the virtual package '" + text + "' is not present";
    if (index.all_count(name) == 0) return "no package named '" + text + "' is available";
    return "no '" + text + "' is in the channel chosen for it";
}

std::string exhaustion(const SolverIndex& index, const Exhaustion& ex, int depth);

std::string rejection(const SolverIndex& index, const Rejection& r, int depth)
{
    using Kind = Rejection::Kind;
    const auto spec = [&] { return index.spec(r.spec).text(); };
    const auto spec_name = [&] { return index.spec_name(r.spec); };
    switch (r.kind) {
        case Kind::conflicts_installed:
            return "requires " + spec() + ", but " + describe(index.record(r.installed)) + " is chosen";
        case Kind::constrains_installed:
            return "constrains " + spec() + ", but " + describe(index.record(r.installed)) + " is chosen";
        case Kind::contradicts_itself:
            return "names its own package in " + spec() + ", which it does not match";
        case Kind::unsatisfiable: {
            const std::string verb = r.constrain ? "constrains " : "requires ";
            if (index.candidates(spec_name()).empty()) return verb + spec() + ", but " + missing(index, spec_name());
            if (r.others.empty()) return verb + spec() + ", which no available " + index.name(spec_name()) + " matches";
            return verb + spec() + ", which conflicts with " + join(index, r.others);
        }
        case Kind::bad_specs:
            return "has a dependency that cannot be read: " + *index.record_specs_error(r.candidate);
        case Kind::deeper:
            if (!r.deeper || depth >= k_max_depth) return "leads to further conflicts";
            return "then " + exhaustion(index, *r.deeper, depth + 1);
    }
    return {};
}

std::string exhaustion(const SolverIndex& index, const Exhaustion& ex, int depth)
{
    const auto& name = index.name(ex.name);
    if (index.candidates(ex.name).empty()) {
        return missing(index, ex.name) +
               (ex.requirements.empty() ? "" : " (wanted: " + join(index, ex.requirements) + ")");
    }
    if (ex.rejections.empty()) return "no candidate of " + name + " fits " + join(index, ex.requirements);
    const std::string indent(static_cast<std::size_t>(2 * (depth + 2)), ' ');
    std::string out = name + ": no candidate fits (" + join(index, ex.requirements) + "):";
    for (std::size_t i = 0; i < ex.rejections.size() && i < k_max_rejections; ++i) {
        const auto& r = ex.rejections[i];
        out += "\n" + indent + describe(index.record(r.candidate)) + ": " + rejection(index, r, depth);
    }
    if (ex.rejections.size() > k_max_rejections) {
        out += "\n" + indent + "... and " + std::to_string(ex.rejections.size() - k_max_rejections) + " more";
    }
    return out;
}

}  // namespace

std::string explain_failure(const SolverIndex& index, const Failure& failure)
{
    if (!failure.culprit) return "no explanation recorded";
    if (failure.gave_up) return "gave up at the step limit, while choosing " + index.name(failure.culprit->name);
    return exhaustion(index, *failure.culprit, 0);
}

}  // namespace gapbundle::sources::conda
