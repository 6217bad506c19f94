#include "pypi_fixtures.hpp"

#include "resolver_memory_provider.hpp"

#include <gapbundle/sources/pypi/resolver.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

MarkerEnvironment linux_cp311()
{
    return fixtures::linux_cpython("3.11.9");
}

std::vector<Requirement> parse_all(const std::vector<std::string>& lines)
{
    std::vector<Requirement> requirements;
    for (const auto& line : lines) {
        auto requirement = Requirement::parse(line);
        EXPECT_TRUE(requirement) << line;
        if (requirement) {
            requirements.push_back(*requirement);
        }
    }
    return requirements;
}

// "app==1.0 lib[a,b]==2.0", in name order.
std::string pins_of(const Resolution& resolution)
{
    std::string text;
    for (const auto& package : resolution.packages) {
        text += text.empty() ? "" : " ";
        text += package.name;
        if (!package.extras.empty()) {
            std::string extras;
            for (const auto& extra : package.extras) {
                extras += (extras.empty() ? "" : ",") + extra;
            }
            text += "[" + extras + "]";
        }
        text += "==" + package.version.to_string();
    }
    return text;
}

class ResolverTest : public ::testing::Test {
protected:
    ResolverTest() { options.environment = linux_cp311(); }

    Result<Resolution> run(const std::string& graph, const std::vector<std::string>& roots, std::uint32_t seed = 0)
    {
        MemoryProvider provider(graph, seed);
        return resolve(parse_all(roots), provider, options);
    }

    // The pins as text, or the error message.
    std::string pins(const std::string& graph, const std::vector<std::string>& roots)
    {
        auto resolution = run(graph, roots);
        return resolution ? pins_of(*resolution) : "error: " + resolution.error().message;
    }

    std::string error(const std::string& graph, const std::vector<std::string>& roots)
    {
        auto resolution = run(graph, roots);
        if (resolution) {
            return "resolved: " + pins_of(*resolution);
        }
        EXPECT_EQ(resolution.error().code, ErrorCode::download);
        return resolution.error().message;
    }

    ResolveOptions options;
};

TEST_F(ResolverTest, PinsTheNewestOfASimpleChain)
{
    const auto* graph = R"(
        app 1.0: lib
        app 2.0: lib>=1.1
        lib 1.0: base
        lib 1.1: base<2
        base 1.0
        base 2.0
    )";
    EXPECT_EQ(pins(graph, {"app"}), "app==2.0 base==1.0 lib==1.1");
}

TEST_F(ResolverTest, MeetsBothSidesOfADiamond)
{
    const auto* graph = R"(
        app 1.0: left | right
        left 1.0: base>=1.1
        right 1.0: base<3
        base 1.0
        base 1.1
        base 2.0
        base 3.0
    )";
    auto resolution = run(graph, {"app"});
    ASSERT_TRUE(resolution) << resolution.error().message;
    EXPECT_EQ(pins_of(*resolution), "app==1.0 base==2.0 left==1.0 right==1.0");
    std::vector<std::string> edges;
    for (const auto& edge : resolution->edges) {
        edges.push_back(edge.parent + " -> " + edge.child + " (" + edge.requirement + ")");
    }
    EXPECT_EQ(edges, (std::vector<std::string>{" -> app (app)", "app -> left (left)", "app -> right (right)",
                                               "left -> base (base>=1.1)", "right -> base (base<3)"}));
}

// pip: app 2.0 needs lib==1.0, tool needs lib>=2, so it backtracks to app 1.0 (same answer).
TEST_F(ResolverTest, BacktracksToAnOlderVersionOnConflict)
{
    const auto* graph = R"(
        app 1.0: lib
        app 2.0: lib==1.0
        tool 1.0: lib>=2
        lib 1.0
        lib 2.0
    )";
    EXPECT_EQ(pins(graph, {"app", "tool"}), "app==1.0 lib==2.0 tool==1.0");
}

// The conflict shows three levels below the decision to change, past eight unrelated
// decisions; trying their 256 combinations would blow the round limit.
TEST_F(ResolverTest, BackjumpsPastUnrelatedDecisions)
{
    std::string graph = R"(
        pin 1.0: base>=1
        base 0.5
        base 1.0
        base 2.0
        top 1.0: mid==1.0
        top 2.0: mid==2.0
        top 3.0: mid==3.0
        mid 1.0: leaf==1.0
        mid 2.0: leaf==2.0
        mid 3.0: leaf==3.0
        leaf 1.0
        leaf 2.0: d1 | d2 | d3 | d4 | d5 | d6 | d7 | d8 | bottom
        leaf 3.0: d1 | d2 | d3 | d4 | d5 | d6 | d7 | d8 | bottom
        bottom 1.0: base<1
        bottom 2.0: base<1
        bottom 3.0: base<1
    )";
    for (int i = 1; i <= 8; ++i) {
        graph += "d" + std::to_string(i) + " 1.0\nd" + std::to_string(i) + " 2.0\n";
    }
    options.max_rounds = 100;
    EXPECT_EQ(pins(graph, {"pin", "top"}), "base==2.0 leaf==1.0 mid==1.0 pin==1.0 top==1.0");
}

TEST_F(ResolverTest, ActivatesTheRequestedExtra)
{
    const auto* graph = R"(
        app 1.0: lib[Fast_Path]
        lib 1.0: core | speedup; extra == "fast-path" | slowdown; extra == "other"
        core 1.0
        speedup 1.0
        slowdown 1.0
    )";
    EXPECT_EQ(pins(graph, {"app"}), "app==1.0 core==1.0 lib[fast-path]==1.0 speedup==1.0");
}

// lib is pinned before tool asks for lib[b], so b's dependencies join an existing pin.
TEST_F(ResolverTest, UnitesExtrasAcrossRequesters)
{
    const auto* graph = R"(
        app 1.0: lib[a]
        tool 1.0: lib[b]
        tool 2.0: lib[b]
        lib 1.0: pa; extra == "a" | pb>=2; extra == "b" | lib[c]; extra == "b" | pc; extra == "c"
        pa 1.0
        pb 1.0
        pb 2.0
        pc 1.0
    )";
    EXPECT_EQ(pins(graph, {"app", "tool"}), "app==1.0 lib[a,b,c]==1.0 pa==1.0 pb==2.0 pc==1.0 tool==2.0");
}

TEST_F(ResolverTest, LeavesOutDependenciesWhoseMarkersFailForTheTarget)
{
    const auto* graph = R"(
        app 1.0: winonly; sys_platform == "win32" | backport; python_version < "3.8" | fresh; python_version >= "3.10"
        winonly 1.0
        backport 1.0
        fresh 1.0
        mac 1.0
    )";
    EXPECT_EQ(pins(graph, {"app", "mac; sys_platform == 'darwin'"}), "app==1.0 fresh==1.0");
}

TEST_F(ResolverTest, ConstraintsNarrowVersionsWithoutAddingPackages)
{
    const auto* graph = R"(
        app 1.0: lib
        lib 1.0
        lib 1.5
        lib 2.0
        ghost 1.0
    )";
    options.constraints = parse_all({"lib<2", "Ghost<5", "lib!=1.5; python_version >= '3'", "app<1; os_name == 'nt'"});
    EXPECT_EQ(pins(graph, {"app"}), "app==1.0 lib==1.0");
}

TEST_F(ResolverTest, ExcludesPrereleasesByDefault)
{
    const auto* graph = "lib 1.0\nlib 2.0b1\n";
    EXPECT_EQ(pins(graph, {"lib"}), "lib==1.0");
    options.allow_prereleases = true;
    EXPECT_EQ(pins(graph, {"lib"}), "lib==2.0b1");
}

// pip 24: `lib>=2` with only 2.0b1 above 2 installs 2.0b1 (packaging's filter fallback).
TEST_F(ResolverTest, AllowsPrereleasesWhenOnlyTheySatisfy)
{
    EXPECT_EQ(pins("lib 1.0\nlib 2.0b1\nlib 2.0.dev1\n", {"lib>=2.0.dev0"}), "lib==2.0b1");
    EXPECT_EQ(pins("lib 1.0\nlib 2.0b1\n", {"lib>=1.5"}), "lib==2.0b1");
}

// lib is pinned to 1.0 before zapp's lib>=2 turns the fallback on; pip re-pins lib the same way.
TEST_F(ResolverTest, RepinsWhenALaterRequirementAdmitsOnlyAFallback)
{
    EXPECT_EQ(pins("lib 1.0\nlib 2.0b1\nzapp 1.0: lib>=1.5\n", {"lib", "zapp"}), "lib==2.0b1 zapp==1.0");
    EXPECT_EQ(pins("lib 1.0\nlib 2.0 yanked\nzapp 1.0: lib==2.0\n", {"lib", "zapp"}), "lib==2.0 zapp==1.0");
    // The fallback pin does not outlive the requirement that allowed it.
    EXPECT_EQ(pins("lib 1.0: zapp\nlib 2.0b1\nzapp 1.0: lib>=1.5\nzapp 0.1\n", {"lib"}), "lib==1.0 zapp==0.1");
}

TEST_F(ResolverTest, AllowsPrereleasesWhenASpecifierNamesOne)
{
    const auto* graph = "lib 1.0\nlib 2.0\nlib 3.0a1\n";
    EXPECT_EQ(pins(graph, {"lib>=2.0"}), "lib==2.0");
    EXPECT_EQ(pins(graph, {"lib>=2.0a1"}), "lib==3.0a1");
}

TEST_F(ResolverTest, SkipsYankedVersionsUnlessPinnedExactly)
{
    const auto* graph = "lib 1.0\nlib 2.0 yanked\n";
    EXPECT_EQ(pins(graph, {"lib"}), "lib==1.0");
    EXPECT_EQ(pins(graph, {"lib==2.0"}), "lib==2.0");
    EXPECT_EQ(pins(graph, {"lib===2.0"}), "lib==2.0");
    EXPECT_EQ(error(graph, {"lib>=2"}),
              "no version of 'lib' fits the target (versions seen: 1.0, 2.0 (yanked); wanted lib>=2)");
}

TEST_F(ResolverTest, NamesTheClashingChain)
{
    const auto* graph = R"(
        app 1.0: lib<2
        tool 3.1: lib>=2
        lib 1.0
        lib 2.0
    )";
    EXPECT_EQ(error(graph, {"app", "tool"}),
              "cannot resolve: app 1.0 requires lib<2, and tool 3.1 requires lib>=2 (requested: app, tool)");
}

TEST_F(ResolverTest, NamesTheRequestAndConstraintsInAClash)
{
    options.constraints = parse_all({"lib!=1.0"});
    EXPECT_EQ(error("app 1.0: lib<2\nlib 1.0\nlib 2.0\n", {"app", "lib>=0.5"}),
              "cannot resolve: the request asks for lib>=0.5, app 1.0 requires lib<2, and the constraint "
              "lib!=1.0 (requested: app, lib>=0.5)");
}

TEST_F(ResolverTest, ReportsTheVersionsSeenWhenNoneFits)
{
    const auto* graph = "lib 1.0\nlib 2.0\napp 1.0: lib>=3\n";
    EXPECT_EQ(error(graph, {"lib>=3"}), "no version of 'lib' fits the target (versions seen: 1.0, 2.0; wanted lib>=3)");
    EXPECT_EQ(error(graph, {"app"}),
              "no version of 'lib' fits the target (versions seen: 1.0, 2.0; wanted lib>=3 by app 1.0)");
}

TEST_F(ResolverTest, ReportsAMissingPackage)
{
    EXPECT_EQ(error("app 1.0: No_Such[x]>1\n", {"app"}),
              "no version of 'no-such' fits the target (versions seen: none; wanted No_Such[x]>1 by app 1.0)");
}

TEST_F(ResolverTest, HandlesCycles)
{
    const auto* graph = R"(
        a 1.0: b
        a 2.0: b>=2
        b 1.0: a
        b 2.0: a<3 | a[x]
        a 2.1: b>=2
    )";
    EXPECT_EQ(pins(graph, {"a"}), "a[x]==2.1 b==2.0");
    EXPECT_EQ(pins("a 1.0: b\nb 1.0: a==1.0 | c\nc 1.0: a\n", {"a"}), "a==1.0 b==1.0 c==1.0");
}

TEST_F(ResolverTest, RefusesDirectUrls)
{
    MemoryProvider provider("app 1.0: lib @ https://example.org/lib-1.0-py3-none-any.whl\n");
    auto resolution = resolve(parse_all({"app"}), provider, options);
    ASSERT_FALSE(resolution);
    EXPECT_EQ(resolution.error().code, ErrorCode::manifest);
    EXPECT_EQ(resolution.error().message,
              "'app' asks for 'lib @ https://example.org/lib-1.0-py3-none-any.whl': direct URL requirements are "
              "not supported yet");
    auto root = resolve(parse_all({"lib @ file:///wheels/lib.whl"}), provider, options);
    ASSERT_FALSE(root);
    EXPECT_EQ(root.error().message,
              "requirement 'lib @ file:///wheels/lib.whl': direct URL requirements are not supported yet");
}

TEST_F(ResolverTest, GivesUpAfterTheRoundLimit)
{
    std::string graph = "app 1.0: lib<1\n";
    for (int i = 1; i <= 9; ++i) {
        graph += "app 1." + std::to_string(i) + ": lib<1\n";
    }
    graph += "lib 1.0\n";
    options.max_rounds = 5;
    EXPECT_EQ(error(graph, {"app"}), "cannot resolve: gave up after 5 rounds of trying versions (requested: app)");
}

TEST_F(ResolverTest, GivesTheSameAnswerWhateverTheProviderOrder)
{
    const auto* graph = R"(
        app 1.0: lib | tool[x]
        app 2.0: lib>=2 | tool[x] | extra-dep
        lib 1.0: base
        lib 2.0: base<3 | helper
        lib 2.1: base<2 | helper>=9
        tool 1.0: helper; extra == "x" | base>=2
        helper 1.0
        helper 2.0
        base 1.0
        base 2.0
        base 3.0
        extra-dep 0.1
    )";
    auto first = run(graph, {"app", "tool"});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(pins_of(*first), "app==2.0 base==2.0 extra-dep==0.1 helper==2.0 lib==2.0 tool[x]==1.0");
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        auto again = run(graph, {"app", "tool"}, seed);
        ASSERT_TRUE(again) << again.error().message;
        EXPECT_EQ(pins_of(*again), pins_of(*first)) << "seed " << seed;
        ASSERT_EQ(again->edges.size(), first->edges.size());
        for (std::size_t i = 0; i < first->edges.size(); ++i) {
            EXPECT_EQ(again->edges[i].requirement, first->edges[i].requirement) << "seed " << seed;
        }
    }
}

// About 150 projects, each version requiring up to three later ones with clauses that clash often
// enough to need backtracking; 1.0 of each has no dependencies, so an answer always exists.
std::string generated_graph()
{
    const std::vector<std::string> clauses{"", "<1.3", "!=1.2", "<=1.1", ">=1.0,<1.4", "!=1.3", "<1.2"};
    std::uint32_t state = 12345;
    auto next = [&](std::uint32_t bound) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % bound;
    };
    auto name = [](std::uint32_t i) { return "p" + std::to_string(1000 + i).substr(1); };
    std::string graph;
    const std::uint32_t count = 150;
    for (std::uint32_t i = 0; i < count; ++i) {
        auto versions = 2 + next(4);
        graph += name(i) + " 1.0\n";
        for (std::uint32_t v = 1; v < versions; ++v) {
            graph += name(i) + " 1." + std::to_string(v) + ":";
            auto dependencies = i + 1 < count ? next(4) : 0;
            for (std::uint32_t d = 0; d < dependencies; ++d) {
                auto target = i + 1 + next(std::min<std::uint32_t>(count - i - 1, 12));
                graph += (d ? " | " : " ") + name(target) + clauses[next(static_cast<std::uint32_t>(clauses.size()))];
            }
            graph += "\n";
        }
    }
    return graph;
}

TEST_F(ResolverTest, ResolvesAGeneratedGraphOfAHundredAndFiftyProjects)
{
    auto graph = generated_graph();
    std::vector<std::string> roots;
    for (int i = 0; i < 10; ++i) {
        roots.push_back("p00" + std::to_string(i));
    }
    options.max_rounds = 5000;
    auto first = run(graph, roots);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_GT(first->packages.size(), 50U);
    std::map<std::string, Version> pinned;
    for (const auto& package : first->packages) {
        pinned.emplace(package.name, package.version);
    }
    for (const auto& edge : first->edges) {
        auto requirement = Requirement::parse(edge.requirement);
        ASSERT_TRUE(requirement);
        ASSERT_TRUE(pinned.contains(edge.child)) << edge.child;
        EXPECT_TRUE(requirement->specifier.contains(pinned.at(edge.child)))
            << edge.parent << " requires " << edge.requirement << ", got " << pinned.at(edge.child).to_string();
        EXPECT_TRUE(edge.parent.empty() || pinned.contains(edge.parent)) << edge.parent;
    }
    auto shuffled = run(graph, roots, 7);
    ASSERT_TRUE(shuffled) << shuffled.error().message;
    EXPECT_EQ(pins_of(*shuffled), pins_of(*first));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
