#include <gapbundle/sources/conda/repodata.hpp>
#include <gapbundle/sources/conda/solution_check.hpp>
#include <gapbundle/sources/conda/solver.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

namespace gapbundle::sources::conda {
namespace {

constexpr int k_packages = 2000;
constexpr int k_versions = 50;

// 100,000 records: pkgN has versions 1.0 .. 50.0, each depending on three later packages with a
// lower bound that grows with the version, and some on an ABI-like pin that excludes the newest.
std::string synthetic_repodata()
{
    std::string json = R"({"info": {"subdir": "linux-64"}, "packages.conda": {)";
    bool first = true;
    for (int p = 0; p < k_packages; ++p) {
        for (int v = 1; v <= k_versions; ++v) {
            const auto name = "pkg" + std::to_string(p);
            const auto version = std::to_string(v) + ".0";
            std::string depends;
            for (int d = 1; d <= 3 && p + d * 7 < k_packages; ++d) {
                depends += (depends.empty() ? "\"" : ", \"") + ("pkg" + std::to_string(p + d * 7)) +
                           " >=" + std::to_string(v / 2) +
                           (p % 5 == 0 ? ",<" + std::to_string(k_versions) + ".0a0" : "") + "\"";
            }
            json += (first ? "" : ",") + std::string("\"") + name + "-" + version + "-h_0.conda\": {\"name\": \"" +
                    name + "\", \"version\": \"" + version +
                    "\", \"build\": \"h_0\", \"build_number\": 0, \"depends\": [" + depends +
                    "], \"timestamp\": " + std::to_string(1700000000 + v) + "}";
            first = false;
        }
    }
    return json + "}}";
}

TEST(SolverScaleTest, LoadsAndSolvesAHundredThousandRecords)
{
    const auto json = synthetic_repodata();
    const auto start = std::chrono::steady_clock::now();
    auto repodata = parse_repodata(json, "conda-forge");
    ASSERT_TRUE(repodata) << repodata.error().message;
    ASSERT_EQ(repodata->records.size(), static_cast<std::size_t>(k_packages * k_versions));
    const auto loaded = std::chrono::steady_clock::now();

    SolveRequest request;
    request.specs = fixtures::specs({"pkg0", "pkg1", "pkg2", "pkg3", "pkg4", "pkg5 <40"});
    auto solution = solve(request, repodata->records);
    const auto solved = std::chrono::steady_clock::now();
    ASSERT_TRUE(solution) << solution.error().message;
    const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
    std::cout << "[ timing   ] " << repodata->records.size() << " records: load " << ms(loaded - start) << " ms, solve "
              << ms(solved - loaded) << " ms, " << solution->records.size() << " records chosen\n";
    EXPECT_GT(solution->records.size(), 100U);
    auto checked = check_solution(request.specs, solution->records, solution->virtual_packages);
    EXPECT_TRUE(checked) << checked.error().message;
}

}  // namespace
}  // namespace gapbundle::sources::conda
