#include <gapbundle/sources/conda/solution_check.hpp>

#include <map>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

std::string describe(const RepodataRecord& record)
{
    return record.name + " " + record.version.text() + " " + record.build;
}

// Parses every depends or constrains of a record; a bad one is a problem of its own.
std::vector<MatchSpec> parse_all(const RepodataRecord& record, const std::vector<std::string>& texts,
                                 std::vector<std::string>& problems)
{
    std::vector<MatchSpec> specs;
    for (const auto& text : texts) {
        auto spec = MatchSpec::parse(text);
        if (spec) {
            specs.push_back(std::move(*spec));
        } else {
            problems.push_back(describe(record) + ": " + spec.error().message);
        }
    }
    return specs;
}

}  // namespace

Status check_solution(std::span<const MatchSpec> specs, std::span<const RepodataRecord> records,
                      std::span<const RepodataRecord> virtual_packages)
{
    std::vector<std::string> problems;
    std::map<std::string, const RepodataRecord*> installed;
    for (const auto* group : {&virtual_packages, &records}) {
        for (const auto& record : *group) {
            if (!installed.emplace(record.name, &record).second) problems.push_back("two records named " + record.name);
        }
    }
    const auto satisfied = [&](const MatchSpec& spec) {
        const auto it = installed.find(spec.name());
        return it != installed.end() && spec.matches(*it->second);
    };
    for (const auto& spec : specs) {
        if (!satisfied(spec)) problems.push_back("spec " + spec.text() + " is not satisfied");
    }
    for (const auto& record : records) {
        for (const auto& depend : parse_all(record, record.depends, problems)) {
            if (!satisfied(depend))
                problems.push_back(describe(record) + " requires " + depend.text() + ", not satisfied");
        }
    }
    for (const auto* group : {&virtual_packages, &records}) {
        for (const auto& record : *group) {
            for (const auto& constrain : parse_all(record, record.constrains, problems)) {
                const auto it = installed.find(constrain.name());
                if (it != installed.end() && !constrain.matches(*it->second)) {
                    problems.push_back(describe(record) + " constrains " + constrain.text() + ", violated by " +
                                       describe(*it->second));
                }
            }
        }
    }
    if (problems.empty()) return {};
    std::string message = "invalid solution:";
    for (const auto& problem : problems) message += "\n  " + problem;
    return fail(ErrorCode::internal, message);
}

}  // namespace gapbundle::sources::conda
