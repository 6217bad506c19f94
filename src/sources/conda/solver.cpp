#include <gapbundle/sources/conda/solver.hpp>

#include "solver_explain.hpp"
#include "solver_index.hpp"
#include "solver_search.hpp"

#include <algorithm>

namespace gapbundle::sources::conda {

Result<std::vector<RepodataRecord>> virtual_records(const std::map<std::string, std::string>& packages)
{
    std::vector<RepodataRecord> out;
    for (const auto& [name, version_text] : packages) {
        if (!name.starts_with("__")) {
            return fail(ErrorCode::usage, "virtual package '" + name + "': the name must start with '__'");
        }
        auto version = VersionOrder::parse(version_text);
        if (!version) return fail(ErrorCode::usage, "virtual package '" + name + "': " + version.error().message);
        RepodataRecord record{.name = name, .version = std::move(*version), .build = "0"};
        record.channel = "@virtual";
        record.filename = name + "-" + version_text + "-0";
        out.push_back(std::move(record));
    }
    return out;
}

Result<Solution> solve(const SolveRequest& request, std::span<const RepodataRecord> candidates)
{
    auto virtuals = virtual_records(request.virtual_packages);
    if (!virtuals) return std::unexpected(virtuals.error());
    auto index = SolverIndex::build(request, candidates, *virtuals);
    if (!index) return std::unexpected(index.error());

    std::string wanted;
    for (const auto& spec : request.specs) wanted += (wanted.empty() ? "" : ", ") + spec.text();
    const auto cannot = [&](const std::string& why) {
        return fail(ErrorCode::download, "cannot solve for " + wanted + ":\n  " + why);
    };

    Search search(*index, request.max_steps);
    for (auto id : index->virtual_ids()) search.give(id);
    for (const auto& spec : request.specs) {
        if (spec.name() == "*") return fail(ErrorCode::usage, "spec '" + spec.text() + "' names no package");
        const auto id = index->add_spec(spec);
        search.require(id);
        for (auto virtual_id : index->virtual_ids()) {
            const auto& given = index->record(virtual_id);
            if (given.name == spec.name() && !spec.matches(given)) {
                return cannot("the virtual package " + given.name + " " + given.version.text() + " does not match " +
                              spec.text() + " (requested)");
            }
        }
    }
    if (auto failure = search.run()) {
        auto why = explain_failure(*index, *failure);
        if (failure->gave_up) why += " (" + std::to_string(request.max_steps) + " candidates tried)";
        return cannot(why);
    }

    Solution solution;
    for (auto id : search.chosen()) solution.records.push_back(index->record(id));
    std::ranges::sort(solution.records, {}, &RepodataRecord::name);
    solution.virtual_packages = std::move(*virtuals);
    return solution;
}

}  // namespace gapbundle::sources::conda
