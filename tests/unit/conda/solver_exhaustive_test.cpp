#include <gapbundle/sources/conda/solution_check.hpp>
#include <gapbundle/sources/conda/solver.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

constexpr int k_names = 4;
constexpr int k_versions = 3;
constexpr int k_rounds = 400;

std::string random_constraint(std::mt19937& rng, int target)
{
    static const std::vector<std::string> ops{">=", "<", "==", "!=", "="};
    const auto op = ops[std::uniform_int_distribution<std::size_t>(0, ops.size() - 1)(rng)];
    const auto version = std::uniform_int_distribution<int>(1, k_versions)(rng);
    return "p" + std::to_string(target) + " " + op + std::to_string(version);
}

// Up to k_names packages p0..p3 with versions 1..3, each with random depends and constrains.
std::vector<RepodataRecord> random_universe(std::mt19937& rng)
{
    std::vector<RepodataRecord> records;
    std::uniform_int_distribution<int> any_name(0, k_names - 1);
    std::uniform_int_distribution<int> few(0, 2);
    for (int name = 0; name < k_names; ++name) {
        for (int version = 1; version <= k_versions; ++version) {
            auto r = fixtures::record("p" + std::to_string(name), std::to_string(version), "b0");
            for (int i = few(rng); i > 0; --i) r.depends.push_back(random_constraint(rng, any_name(rng)));
            if (few(rng) == 0) r.constrains.push_back(random_constraint(rng, any_name(rng)));
            records.push_back(std::move(r));
        }
    }
    return records;
}

// Whether any choice of at most one record per name passes the checker.
bool brute_force_solvable(const std::vector<MatchSpec>& specs, const std::vector<RepodataRecord>& records)
{
    int combinations = 1;
    for (int i = 0; i < k_names; ++i) combinations *= k_versions + 1;
    for (int code = 0; code < combinations; ++code) {
        std::vector<RepodataRecord> chosen;
        for (int name = 0, rest = code; name < k_names; ++name, rest /= k_versions + 1) {
            const int pick = rest % (k_versions + 1);  // 0: absent
            if (pick > 0) chosen.push_back(records[static_cast<std::size_t>(name * k_versions + pick - 1)]);
        }
        if (check_solution(specs, chosen, {})) return true;
    }
    return false;
}

TEST(SolverExhaustiveTest, FindsASolutionExactlyWhenOneExists)
{
    std::mt19937 rng(20261130);
    int solvable = 0;
    for (int round = 0; round < k_rounds; ++round) {
        const auto records = random_universe(rng);
        std::vector<std::string> texts{random_constraint(rng, std::uniform_int_distribution<int>(0, k_names - 1)(rng))};
        if (round % 2 == 0) texts.push_back("p" + std::to_string(round % k_names));
        SolveRequest request;
        request.specs = fixtures::specs(texts);
        const auto expected = brute_force_solvable(request.specs, records);
        auto solution = solve(request, records);
        ASSERT_EQ(solution.has_value(), expected)
            << "round " << round << ": " << (solution ? "solved" : solution.error().message);
        if (solution) {
            ++solvable;
            auto checked = check_solution(request.specs, solution->records, {});
            ASSERT_TRUE(checked) << "round " << round << ": " << checked.error().message;
        } else {
            EXPECT_EQ(solution.error().code, ErrorCode::download) << solution.error().message;
        }
    }
    std::cout << "[ rounds   ] " << k_rounds << " random universes, " << solvable << " solvable\n";
}

}  // namespace
}  // namespace gapbundle::sources::conda
