#include <gapbundle/sources/conda/solution_check.hpp>
#include <gapbundle/sources/conda/solver.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

using fixtures::record;
using fixtures::specs;

// "numpy 1.26.4 py311_0, python 3.11.9 h_0", in name order.
std::string pins_of(const Solution& solution)
{
    std::string out;
    for (const auto& r : solution.records)
        out += (out.empty() ? "" : ", ") + r.name + " " + r.version.text() + " " + r.build;
    return out;
}

class SolverTest : public ::testing::Test {
protected:
    // The pins, after the independent checker passed them; or "error: <message>".
    std::string solve_text(const std::vector<std::string>& spec_texts)
    {
        request.specs = specs(spec_texts);
        auto solution = solve(request, records);
        if (!solution) return "error: " + solution.error().message;
        auto checked = check_solution(request.specs, solution->records, solution->virtual_packages);
        EXPECT_TRUE(checked) << checked.error().message;
        return pins_of(*solution);
    }

    SolveRequest request;
    std::vector<RepodataRecord> records;
};

TEST_F(SolverTest, PinsNumpyToThePythonAbi)
{
    records = {
        record("python", "3.11.9", "h_0", {"python_abi 3.11.* *_cp311"}),
        record("python", "3.12.4", "h_0", {"python_abi 3.12.* *_cp312"}),
        record("python_abi", "3.11", "4_cp311"),
        record("python_abi", "3.12", "4_cp312"),
        record("numpy", "1.26.4", "py311_0", {"python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"}),
        record("numpy", "1.26.4", "py312_0", {"python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312"}),
        record("numpy", "2.0.0", "py312_0", {"python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312"}),
        record("pandas", "2.2.2", "py311_0",
               {"numpy >=1.26,<2.0a0", "python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"}),
    };
    EXPECT_EQ(solve_text({"numpy"}), "numpy 2.0.0 py312_0, python 3.12.4 h_0, python_abi 3.12 4_cp312");
    EXPECT_EQ(solve_text({"python=3.11", "numpy"}), "numpy 1.26.4 py311_0, python 3.11.9 h_0, python_abi 3.11 4_cp311");
    EXPECT_EQ(solve_text({"pandas"}),
              "numpy 1.26.4 py311_0, pandas 2.2.2 py311_0, python 3.11.9 h_0, python_abi 3.11 4_cp311");
    EXPECT_EQ(solve_text({"numpy", "pandas"}),
              "numpy 1.26.4 py311_0, pandas 2.2.2 py311_0, python 3.11.9 h_0, python_abi 3.11 4_cp311");
}

TEST_F(SolverTest, TakesANoarchPackage)
{
    auto tzdata = record("tzdata", "2024a", "h0c530f3_0");
    tzdata.subdir = "noarch";
    tzdata.noarch = "generic";
    auto requests = record("requests", "2.32.3", "pyhd8ed1ab_0", {"python >=3.8", "certifi"});
    requests.subdir = "noarch";
    requests.noarch = "python";
    auto certifi = record("certifi", "2024.6.2", "pyhd8ed1ab_0", {"python >=3.7"});
    certifi.subdir = "noarch";
    records = {tzdata, requests, certifi, record("python", "3.11.9", "h_0"), record("python", "3.7.1", "h_0")};
    EXPECT_EQ(solve_text({"tzdata"}), "tzdata 2024a h0c530f3_0");
    EXPECT_EQ(solve_text({"requests", "python <3.8"}),
              "error: cannot solve for requests, python <3.8:\n"
              "  requests: no candidate fits (requests (requested)):\n"
              "    requests 2.32.3 pyhd8ed1ab_0 (conda-forge): requires python >=3.8, which conflicts with python <3.8 "
              "(requested)");
    EXPECT_EQ(solve_text({"requests"}),
              "certifi 2024.6.2 pyhd8ed1ab_0, python 3.11.9 h_0, requests 2.32.3 pyhd8ed1ab_0");
}

TEST_F(SolverTest, TrackFeaturesLoseToThePlainBuild)
{
    auto mkl = record("blas", "1.0", "mkl");
    mkl.track_features = {"blas_mkl"};
    mkl.build_number = 5;
    records = {mkl, record("blas", "1.0", "openblas"), record("numpy", "1.26.4", "py_0", {"blas 1.0"})};
    EXPECT_EQ(solve_text({"numpy"}), "blas 1.0 openblas, numpy 1.26.4 py_0");
    EXPECT_EQ(solve_text({"numpy", "blas * mkl"}), "blas 1.0 mkl, numpy 1.26.4 py_0");
}

TEST_F(SolverTest, TrackFeaturesCountBeforeTheVersion)
{
    // As the fact sheet has conda's libsolv rank records: fewer track_features first, then version.
    auto mkl = record("blas", "1.1", "mkl");
    mkl.track_features = {"blas_mkl"};
    records = {mkl, record("blas", "1.0", "openblas")};
    EXPECT_EQ(solve_text({"blas"}), "blas 1.0 openblas");
    EXPECT_EQ(solve_text({"blas >=1.1"}), "blas 1.1 mkl");
}

TEST_F(SolverTest, PrefersBuildNumberThenTimestamp)
{
    auto old_build = record("zlib", "1.3", "h_1");
    old_build.build_number = 1;
    auto new_build = record("zlib", "1.3", "h_2");
    new_build.build_number = 2;
    auto newer_stamp = record("zlib", "1.3", "h_2b");
    newer_stamp.build_number = 2;
    newer_stamp.timestamp = 1700000000000;
    records = {old_build, new_build, newer_stamp};
    EXPECT_EQ(solve_text({"zlib"}), "zlib 1.3 h_2b");
}

TEST_F(SolverTest, BacktracksWhenTheNewestChoiceFails)
{
    records = {
        record("foo", "2.0", "b0", {"numpy >=2"}),
        record("foo", "1.0", "b0", {"numpy >=1.20"}),
        record("numpy", "2.0.0", "b0"),
        record("numpy", "1.26.4", "b0"),
    };
    EXPECT_EQ(solve_text({"foo", "numpy <2"}), "foo 1.0 b0, numpy 1.26.4 b0");
    EXPECT_EQ(solve_text({"foo"}), "foo 2.0 b0, numpy 2.0.0 b0");
}

TEST_F(SolverTest, BacktracksThroughAnIntermediatePackage)
{
    records = {
        record("app", "2.0", "b0", {"lib"}),
        record("app", "1.0", "b0"),
        record("lib", "1.1", "b0", {"numpy >=2"}),
        record("lib", "1.0", "b0", {"numpy >=2"}),
        record("numpy", "2.0.0", "b0"),
        record("numpy", "1.26.4", "b0"),
        record("numpy", "1.25.0", "b0"),
    };
    EXPECT_EQ(solve_text({"app", "numpy <2"}), "app 1.0 b0, numpy 1.26.4 b0");
}

TEST_F(SolverTest, HonoursStrictChannelPriority)
{
    records = {record("numpy", "1.26.4", "b0", {}, "mine"), record("numpy", "2.0.0", "b0", {}, "conda-forge"),
               record("scipy", "1.14", "b0", {}, "conda-forge")};
    request.channels = {"mine", "conda-forge"};
    EXPECT_EQ(solve_text({"numpy", "scipy"}), "numpy 1.26.4 b0, scipy 1.14 b0");
    EXPECT_EQ(solve_text({"conda-forge::numpy"}), "numpy 2.0.0 b0");
    EXPECT_EQ(solve_text({"numpy >=2"}),
              "error: cannot solve for numpy >=2:\n"
              "  no candidate of numpy fits numpy >=2 (requested)");
    request.channels = {"conda-forge"};
    EXPECT_EQ(solve_text({"numpy"}),
              "error: record numpy-1.26.4-b0.conda is from channel 'mine', which is not in the channel list");
}

TEST_F(SolverTest, ConstrainsRestrictWithoutPullingIn)
{
    records = {record("a", "1.0", "b0"), record("b", "2.0", "b0"), record("b", "1.5", "b0")};
    records[0].constrains = {"b <2"};
    EXPECT_EQ(solve_text({"a"}), "a 1.0 b0");
    EXPECT_EQ(solve_text({"a", "b"}), "a 1.0 b0, b 1.5 b0");
    EXPECT_EQ(solve_text({"b", "a"}), "a 1.0 b0, b 1.5 b0");
    EXPECT_EQ(solve_text({"a", "b >=2"}),
              "error: cannot solve for a, b >=2:\n"
              "  a: no candidate fits (a (requested)):\n"
              "    a 1.0 b0 (conda-forge): constrains b <2, which conflicts with b >=2 (requested)");
}

TEST_F(SolverTest, ExplainsAnUnsatisfiableRequest)
{
    records = {record("foo", "2.0", "b0", {"numpy >=2"}), record("foo", "1.0", "b0", {"numpy >=2.1"}),
               record("numpy", "2.0.0", "b0"), record("numpy", "1.26.4", "b0")};
    EXPECT_EQ(solve_text({"foo", "numpy <2"}),
              "error: cannot solve for foo, numpy <2:\n"
              "  numpy: no candidate fits (numpy <2 (requested)):\n"
              "    numpy 1.26.4 b0 (conda-forge): then foo: no candidate fits (foo (requested)):\n"
              "      foo 2.0 b0 (conda-forge): requires numpy >=2, but numpy 1.26.4 b0 (conda-forge) is chosen\n"
              "      foo 1.0 b0 (conda-forge): requires numpy >=2.1, but numpy 1.26.4 b0 (conda-forge) is chosen");
    EXPECT_EQ(solve_text({"nothere"}),
              "error: cannot solve for nothere:\n"
              "  no package named 'nothere' is available (wanted: nothere (requested))");
    auto solved = solve(request, records);
    ASSERT_FALSE(solved);
    EXPECT_EQ(solved.error().code, ErrorCode::download);
}

TEST_F(SolverTest, NeedsTheVirtualPackageADependencyNames)
{
    auto cuda = record("pytorch", "2.3.1", "cuda120_0", {"__cuda >=12", "__glibc >=2.17"});
    cuda.build_number = 1;
    records = {cuda, record("pytorch", "2.3.1", "cpu_0", {"__glibc >=2.17"})};
    request.virtual_packages = {{"__glibc", "2.28"}};
    EXPECT_EQ(solve_text({"pytorch"}), "pytorch 2.3.1 cpu_0");
    EXPECT_EQ(solve_text({"pytorch * cuda*"}),
              "error: cannot solve for pytorch * cuda*:\n"
              "  pytorch: no candidate fits (pytorch * cuda* (requested)):\n"
              "    pytorch 2.3.1 cuda120_0 (conda-forge): requires __cuda >=12, but the virtual package '__cuda' is "
              "not present");
    request.virtual_packages = {{"__glibc", "2.28"}, {"__cuda", "12.4"}};
    EXPECT_EQ(solve_text({"pytorch"}), "pytorch 2.3.1 cuda120_0");
    request.virtual_packages = {{"__glibc", "2.12"}, {"__cuda", "12.4"}};
    EXPECT_EQ(solve_text({"__glibc >=2.17"}),
              "error: cannot solve for __glibc >=2.17:\n"
              "  the virtual package __glibc 2.12 does not match __glibc >=2.17 (requested)");
}

TEST_F(SolverTest, GivesTheSameAnswerWhateverTheInputOrder)
{
    records = {
        record("python", "3.11.9", "h_0", {"python_abi 3.11.* *_cp311"}),
        record("python", "3.12.4", "h_0", {"python_abi 3.12.* *_cp312"}),
        record("python_abi", "3.11", "4_cp311"),
        record("python_abi", "3.12", "4_cp312"),
        record("numpy", "1.26.4", "py311_0", {"python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"}),
        record("numpy", "1.26.4", "py312_0", {"python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312"}),
        record("numpy", "1.26.4", "py312_1", {"python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312"}),
        record("scipy", "1.14.0", "py311_0", {"numpy >=1.23,<2.0a0", "python >=3.11,<3.12.0a0"}),
    };
    const auto expected = solve_text({"scipy", "numpy"});
    EXPECT_EQ(expected, "numpy 1.26.4 py311_0, python 3.11.9 h_0, python_abi 3.11 4_cp311, scipy 1.14.0 py311_0");
    std::ranges::reverse(records);
    EXPECT_EQ(solve_text({"scipy", "numpy"}), expected);
    std::ranges::rotate(records, records.begin() + 3);
    EXPECT_EQ(solve_text({"scipy", "numpy"}), expected);
}

TEST_F(SolverTest, SkipsARecordThatContradictsItself)
{
    records = {record("odd", "3", "b0", {"odd !=3"}), record("odd", "2", "b0", {"odd <3"})};
    EXPECT_EQ(solve_text({"odd"}), "odd 2 b0");
    EXPECT_EQ(solve_text({"odd >2"}),
              "error: cannot solve for odd >2:\n"
              "  odd: no candidate fits (odd >2 (requested)):\n"
              "    odd 3 b0 (conda-forge): names its own package in odd !=3, which it does not match");
}

TEST_F(SolverTest, GivesUpAtTheStepLimit)
{
    records = {record("a", "2.0", "b0", {"b"}), record("a", "1.0", "b0", {"b"}), record("b", "1.0", "b0", {"c >=2"}),
               record("c", "1.0", "b0")};
    request.max_steps = 2;
    EXPECT_EQ(solve_text({"a"}),
              "error: cannot solve for a:\n  gave up at the step limit, while choosing a (2 candidates tried)");
    request.max_steps = 100;
    EXPECT_EQ(solve_text({"a"}).substr(0, 58), "error: cannot solve for a:\n  a: no candidate fits (a (requ");
}

TEST_F(SolverTest, RejectsASpecWithoutAName)
{
    records = {record("a", "1.0", "b0")};
    EXPECT_EQ(solve_text({"*"}), "error: spec '*' names no package");
    request.virtual_packages = {{"glibc", "2.28"}};
    EXPECT_EQ(solve_text({"a"}), "error: virtual package 'glibc': the name must start with '__'");
}

TEST(SolutionCheckTest, ReportsEveryProblem)
{
    auto a = record("a", "1.0", "b0", {"b >=2", "c"});
    a.constrains = {"d <1"};
    const std::vector<RepodataRecord> solution{a, record("b", "1.0", "b0"), record("d", "1.0", "b0")};
    auto checked = check_solution(specs({"a", "e"}), solution, {});
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().message,
              "invalid solution:\n"
              "  spec e is not satisfied\n"
              "  a 1.0 b0 requires b >=2, not satisfied\n"
              "  a 1.0 b0 requires c, not satisfied\n"
              "  a 1.0 b0 constrains d <1, violated by d 1.0 b0");
}

}  // namespace
}  // namespace gapbundle::sources::conda
