#include "resolver_memory_provider.hpp"

#include <gapbundle/sources/pypi/resolver.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

// Small random graphs, cycles included, checked against trying every assignment: backjumping
// must never skip a decision whose change would have found an answer.
struct SmallGraph {
    static constexpr std::uint32_t k_projects = 6;
    static constexpr std::uint32_t k_versions = 3;
    // deps[project][version]: (project, specifier) pairs
    std::vector<std::vector<std::vector<std::pair<std::uint32_t, std::string>>>> deps;
    std::vector<std::pair<std::uint32_t, std::string>> roots;

    [[nodiscard]] std::string text() const
    {
        std::string graph;
        for (std::uint32_t p = 0; p < k_projects; ++p) {
            for (std::uint32_t v = 0; v < k_versions; ++v) {
                graph += "q" + std::to_string(p) + " " + std::to_string(v + 1) + ".0:";
                for (std::size_t d = 0; d < deps[p][v].size(); ++d) {
                    graph += (d ? " | q" : " q") + std::to_string(deps[p][v][d].first) + deps[p][v][d].second;
                }
                graph += "\n";
            }
        }
        return graph;
    }
};

const std::vector<std::string> k_clauses{"", "<2", ">=2", "==1.0", "!=2.0", ">=3", "<3"};

SmallGraph random_graph(std::uint32_t& state)
{
    auto next = [&](std::uint32_t bound) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % bound;
    };
    SmallGraph graph;
    graph.deps.resize(SmallGraph::k_projects);
    for (auto& versions : graph.deps) {
        versions.resize(SmallGraph::k_versions);
        for (auto& list : versions) {
            for (std::uint32_t d = next(3); d > 0; --d) {
                list.emplace_back(next(SmallGraph::k_projects), k_clauses[next(7)]);
            }
        }
    }
    graph.roots = {{0, k_clauses[next(7)]}, {1, k_clauses[next(7)]}};
    return graph;
}

bool admits(const std::string& clause, std::uint32_t version)
{
    static const auto table = [] {
        std::map<std::string, std::vector<bool>> admitted;
        for (const auto& text : k_clauses) {
            for (std::uint32_t v = 0; v < SmallGraph::k_versions; ++v) {
                admitted[text].push_back(SpecifierSet::parse(text)->contains(*Version::parse(std::to_string(v + 1))));
            }
        }
        return admitted;
    }();
    return table.at(clause)[version];
}

// choice[p]: 0 absent, else version index + 1.
bool consistent(const SmallGraph& graph, const std::vector<std::uint32_t>& choice)
{
    auto holds = [&](std::uint32_t project, const std::string& clause) {
        return choice[project] != 0 && admits(clause, choice[project] - 1);
    };
    for (const auto& [project, clause] : graph.roots) {
        if (!holds(project, clause)) {
            return false;
        }
    }
    for (std::uint32_t p = 0; p < SmallGraph::k_projects; ++p) {
        if (choice[p] == 0) {
            continue;
        }
        for (const auto& [project, clause] : graph.deps[p][choice[p] - 1]) {
            if (!holds(project, clause)) {
                return false;
            }
        }
    }
    return true;
}

bool satisfiable(const SmallGraph& graph)
{
    std::vector<std::uint32_t> choice(SmallGraph::k_projects, 0);
    while (true) {
        if (consistent(graph, choice)) {
            return true;
        }
        std::size_t i = 0;
        while (i < choice.size() && ++choice[i] > SmallGraph::k_versions) {
            choice[i++] = 0;
        }
        if (i == choice.size()) {
            return false;
        }
    }
}

TEST(ResolverExhaustiveTest, AgreesWithTryingEveryAssignment)
{
    std::uint32_t state = 2024;
    int solvable = 0;
    for (int round = 0; round < 300; ++round) {
        auto graph = random_graph(state);
        ResolveOptions options{.environment = {}, .allow_prereleases = false, .constraints = {}, .max_rounds = 100000};
        std::vector<Requirement> roots;
        for (const auto& [project, clause] : graph.roots) {
            roots.push_back(*Requirement::parse("q" + std::to_string(project) + clause));
        }
        MemoryProvider provider(graph.text());
        auto resolution = resolve(roots, provider, options);
        bool expected = satisfiable(graph);
        solvable += expected ? 1 : 0;
        ASSERT_EQ(resolution.has_value(), expected)
            << graph.text() << (resolution ? std::string("resolved") : resolution.error().message);
        if (resolution) {
            std::vector<std::uint32_t> choice(SmallGraph::k_projects, 0);
            for (const auto& package : resolution->packages) {
                choice[std::stoul(package.name.substr(1))] =
                    static_cast<std::uint32_t>(package.version.release().front());
            }
            EXPECT_TRUE(consistent(graph, choice)) << graph.text();
        }
    }
    // Both outcomes are well represented, so the comparison means something.
    EXPECT_GT(solvable, 60);
    EXPECT_LT(solvable, 240);
}

}  // namespace
}  // namespace gapbundle::sources::pypi
