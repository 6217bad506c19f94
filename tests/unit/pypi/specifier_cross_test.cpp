#include <gapbundle/sources/pypi/specifier.hpp>

#include "print.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

// Every specifier against every version, expectations computed with pypa/packaging 26
// (scratch script, not part of the build): the exclusive-ordering, local and epoch corners
// checked all at once.

namespace gapbundle::sources::pypi {
namespace {

struct CrossRow {
    std::string specifier;
    std::string expected;  // '1' or '0' per entry of k_cross_versions
};

struct CrossFilterRow {
    std::string specifier;
    std::vector<std::string> expected;
};

const std::vector<std::string> k_cross_versions = {"0.dev0",
                                                   "0.9",
                                                   "0.9.post0",
                                                   "1.0.dev0",
                                                   "1.0.dev1",
                                                   "1.0.dev2",
                                                   "1.0a1.dev1",
                                                   "1.0a1",
                                                   "1.0a1+x",
                                                   "1.0a1.post1",
                                                   "1.0a2.post0",
                                                   "1.0b1",
                                                   "1.0rc1",
                                                   "1.0rc1.post1.dev1",
                                                   "1.0",
                                                   "1.0+local",
                                                   "1.0.0+abc.5",
                                                   "1.0.post0.dev0",
                                                   "1.0.post1",
                                                   "1.0.post1+x",
                                                   "1.0.post2.dev0",
                                                   "1.0.post2",
                                                   "1.0.1.dev0",
                                                   "1.0.1",
                                                   "1.0.1+ubuntu1",
                                                   "1.1a1",
                                                   "1.1",
                                                   "1.1.post1",
                                                   "1.9.9",
                                                   "2.0.dev0",
                                                   "2.0rc1",
                                                   "2.0",
                                                   "2.0.post1",
                                                   "2.1",
                                                   "3!0.1",
                                                   "1!1.0",
                                                   "10.0"};
// For each specifier, packaging 26's Specifier(s).contains(v, prereleases=True) over k_cross_versions.
const std::vector<CrossRow> k_cross = {
    {.specifier = "==1.0", .expected = "0000000000000011100000000000000000000"},
    {.specifier = "==1.0.0", .expected = "0000000000000011100000000000000000000"},
    {.specifier = "==1.0+local", .expected = "0000000000000001000000000000000000000"},
    {.specifier = "==1.0+LOCAL", .expected = "0000000000000001000000000000000000000"},
    {.specifier = "!=1.0", .expected = "1111111111111100011111111111111111111"},
    {.specifier = "!=1.0+local", .expected = "1111111111111110111111111111111111111"},
    {.specifier = "==1.*", .expected = "0001111111111111111111111111100000000"},
    {.specifier = "==1.0.*", .expected = "0001111111111111111111111000000000000"},
    {.specifier = "!=1.0.*", .expected = "1110000000000000000000000111111111111"},
    {.specifier = "==1!1.*", .expected = "0000000000000000000000000000000000010"},
    {.specifier = "<=1.0", .expected = "1111111111111111100000000000000000000"},
    {.specifier = ">=1.0", .expected = "0000000000000011111111111111111111111"},
    {.specifier = "<1.0", .expected = "1110000000000000000000000000000000000"},
    {.specifier = ">1.0", .expected = "0000000000000000000000111111111111111"},
    {.specifier = "<1.0.post1", .expected = "1111111111111111110000000000000000000"},
    {.specifier = ">1.0.post1", .expected = "0000000000000000000011111111111111111"},
    {.specifier = ">1.0.dev1", .expected = "0000011111111111111111111111111111111"},
    {.specifier = "<1.0.dev1", .expected = "1111000000000000000000000000000000000"},
    {.specifier = ">1.0a1", .expected = "0000000000111111111111111111111111111"},
    {.specifier = "<1.0rc1", .expected = "1111111111110000000000000000000000000"},
    {.specifier = ">=1.0a1", .expected = "0000000111111111111111111111111111111"},
    {.specifier = "<=1.0.post1", .expected = "1111111111111111111100000000000000000"},
    {.specifier = "~=1.0", .expected = "0000000000000011111111111111100000000"},
    {.specifier = "~=1.0.0", .expected = "0000000000000011111111111000000000000"},
    {.specifier = "~=1.0a1", .expected = "0000000111111111111111111111100000000"},
    {.specifier = "~=1.0.post1", .expected = "0000000000000000001111111111100000000"},
    {.specifier = "~=0.9", .expected = "0110000000000000000000000000000000000"},
    {.specifier = "~=1!1.0", .expected = "0000000000000000000000000000000000010"},
    {.specifier = "<2", .expected = "1111111111111111111111111111100000000"},
    {.specifier = ">1", .expected = "0000000000000000000000111111111111111"},
    {.specifier = "<=2.0", .expected = "1111111111111111111111111111111100000"},
    {.specifier = ">=2.0rc1", .expected = "0000000000000000000000000000001111111"},
    {.specifier = ">=1.0.dev0", .expected = "0001111111111111111111111111111111111"},
    {.specifier = "<0.dev1", .expected = "1000000000000000000000000000000000000"},
    {.specifier = "===1.0", .expected = "0000000000000010000000000000000000000"},
    {.specifier = "===1.0+local", .expected = "0000000000000001000000000000000000000"},
    {.specifier = "==0.9", .expected = "0100000000000000000000000000000000000"},
    {.specifier = ">0.9", .expected = "0001111111111111111111111111111111111"},
    {.specifier = "<1!0", .expected = "1111111111111111111111111111111111001"},
};
// packaging 26's SpecifierSet(s).filter(k_cross_versions) with no pre-release preference.
const std::vector<CrossFilterRow> k_cross_filter = {
    {.specifier = "==1.0", .expected = {"1.0", "1.0+local", "1.0.0+abc.5"}},
    {.specifier = "==1.0.0", .expected = {"1.0", "1.0+local", "1.0.0+abc.5"}},
    {.specifier = "==1.0+local", .expected = {"1.0+local"}},
    {.specifier = "==1.0+LOCAL", .expected = {"1.0+local"}},
    {.specifier = "!=1.0",
     .expected = {"0.9", "0.9.post0", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1", "1.1",
                  "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0", "10.0"}},
    {.specifier = "!=1.0+local",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1",
                  "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0", "10.0"}},
    {.specifier = "==1.*",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1",
                  "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = "==1.0.*",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1",
                  "1.0.1+ubuntu1"}},
    {.specifier = "!=1.0.*",
     .expected = {"0.9", "0.9.post0", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0",
                  "10.0"}},
    {.specifier = "==1!1.*", .expected = {"1!1.0"}},
    {.specifier = "<=1.0", .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5"}},
    {.specifier = ">=1.0",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1",
                  "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0", "10.0"}},
    {.specifier = "<1.0", .expected = {"0.9", "0.9.post0"}},
    {.specifier = ">1.0",
     .expected = {"1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0",
                  "10.0"}},
    {.specifier = "<1.0.post1", .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5"}},
    {.specifier = ">1.0.post1",
     .expected = {"1.0.post2", "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1",
                  "3!0.1", "1!1.0", "10.0"}},
    {.specifier = ">1.0.dev1",
     .expected = {"1.0.dev2",
                  "1.0a1.dev1",
                  "1.0a1",
                  "1.0a1+x",
                  "1.0a1.post1",
                  "1.0a2.post0",
                  "1.0b1",
                  "1.0rc1",
                  "1.0rc1.post1.dev1",
                  "1.0",
                  "1.0+local",
                  "1.0.0+abc.5",
                  "1.0.post0.dev0",
                  "1.0.post1",
                  "1.0.post1+x",
                  "1.0.post2.dev0",
                  "1.0.post2",
                  "1.0.1.dev0",
                  "1.0.1",
                  "1.0.1+ubuntu1",
                  "1.1a1",
                  "1.1",
                  "1.1.post1",
                  "1.9.9",
                  "2.0.dev0",
                  "2.0rc1",
                  "2.0",
                  "2.0.post1",
                  "2.1",
                  "3!0.1",
                  "1!1.0",
                  "10.0"}},
    {.specifier = "<1.0.dev1", .expected = {"0.dev0", "0.9", "0.9.post0", "1.0.dev0"}},
    {.specifier = ">1.0a1",
     .expected = {"1.0a2.post0",
                  "1.0b1",
                  "1.0rc1",
                  "1.0rc1.post1.dev1",
                  "1.0",
                  "1.0+local",
                  "1.0.0+abc.5",
                  "1.0.post0.dev0",
                  "1.0.post1",
                  "1.0.post1+x",
                  "1.0.post2.dev0",
                  "1.0.post2",
                  "1.0.1.dev0",
                  "1.0.1",
                  "1.0.1+ubuntu1",
                  "1.1a1",
                  "1.1",
                  "1.1.post1",
                  "1.9.9",
                  "2.0.dev0",
                  "2.0rc1",
                  "2.0",
                  "2.0.post1",
                  "2.1",
                  "3!0.1",
                  "1!1.0",
                  "10.0"}},
    {.specifier = "<1.0rc1",
     .expected = {"0.dev0", "0.9", "0.9.post0", "1.0.dev0", "1.0.dev1", "1.0.dev2", "1.0a1.dev1", "1.0a1", "1.0a1+x",
                  "1.0a1.post1", "1.0a2.post0", "1.0b1"}},
    {.specifier = ">=1.0a1",
     .expected = {"1.0a1",
                  "1.0a1+x",
                  "1.0a1.post1",
                  "1.0a2.post0",
                  "1.0b1",
                  "1.0rc1",
                  "1.0rc1.post1.dev1",
                  "1.0",
                  "1.0+local",
                  "1.0.0+abc.5",
                  "1.0.post0.dev0",
                  "1.0.post1",
                  "1.0.post1+x",
                  "1.0.post2.dev0",
                  "1.0.post2",
                  "1.0.1.dev0",
                  "1.0.1",
                  "1.0.1+ubuntu1",
                  "1.1a1",
                  "1.1",
                  "1.1.post1",
                  "1.9.9",
                  "2.0.dev0",
                  "2.0rc1",
                  "2.0",
                  "2.0.post1",
                  "2.1",
                  "3!0.1",
                  "1!1.0",
                  "10.0"}},
    {.specifier = "<=1.0.post1",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x"}},
    {.specifier = "~=1.0",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1",
                  "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = "~=1.0.0",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1",
                  "1.0.1+ubuntu1"}},
    {.specifier = "~=1.0a1",
     .expected =
         {"1.0a1",     "1.0a1+x",    "1.0a1.post1", "1.0a2.post0",    "1.0b1",     "1.0rc1",      "1.0rc1.post1.dev1",
          "1.0",       "1.0+local",  "1.0.0+abc.5", "1.0.post0.dev0", "1.0.post1", "1.0.post1+x", "1.0.post2.dev0",
          "1.0.post2", "1.0.1.dev0", "1.0.1",       "1.0.1+ubuntu1",  "1.1a1",     "1.1",         "1.1.post1",
          "1.9.9"}},
    {.specifier = "~=1.0.post1",
     .expected = {"1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = "~=0.9", .expected = {"0.9", "0.9.post0"}},
    {.specifier = "~=1!1.0", .expected = {"1!1.0"}},
    {.specifier = "<2",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2",
                  "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = ">1",
     .expected = {"1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0",
                  "10.0"}},
    {.specifier = "<=2.0",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2",
                  "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0"}},
    {.specifier = ">=2.0rc1", .expected = {"2.0rc1", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0", "10.0"}},
    {.specifier = ">=1.0.dev0",
     .expected = {"1.0.dev0",
                  "1.0.dev1",
                  "1.0.dev2",
                  "1.0a1.dev1",
                  "1.0a1",
                  "1.0a1+x",
                  "1.0a1.post1",
                  "1.0a2.post0",
                  "1.0b1",
                  "1.0rc1",
                  "1.0rc1.post1.dev1",
                  "1.0",
                  "1.0+local",
                  "1.0.0+abc.5",
                  "1.0.post0.dev0",
                  "1.0.post1",
                  "1.0.post1+x",
                  "1.0.post2.dev0",
                  "1.0.post2",
                  "1.0.1.dev0",
                  "1.0.1",
                  "1.0.1+ubuntu1",
                  "1.1a1",
                  "1.1",
                  "1.1.post1",
                  "1.9.9",
                  "2.0.dev0",
                  "2.0rc1",
                  "2.0",
                  "2.0.post1",
                  "2.1",
                  "3!0.1",
                  "1!1.0",
                  "10.0"}},
    {.specifier = "<0.dev1", .expected = {"0.dev0"}},
    {.specifier = "===1.0", .expected = {"1.0"}},
    {.specifier = "===1.0+local", .expected = {"1.0+local"}},
    {.specifier = "==0.9", .expected = {"0.9"}},
    {.specifier = ">=1.0,<2",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2", "1.0.1", "1.0.1+ubuntu1",
                  "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = "<1.0", .expected = {"0.9", "0.9.post0"}},
    {.specifier = ">=1.0,!=1.0.post1,<1.1",
     .expected = {"1.0", "1.0+local", "1.0.0+abc.5", "1.0.post2", "1.0.1", "1.0.1+ubuntu1"}},
    {.specifier = "==1.0a1", .expected = {"1.0a1", "1.0a1+x"}},
    {.specifier = "<1!0",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2",
                  "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "10.0"}},
    {.specifier = ">2.1", .expected = {"3!0.1", "1!1.0", "10.0"}},
    {.specifier = ">=2.0.dev0,<2.0", .expected = {}},
    {.specifier = "~=1.0a1,!=1.0",
     .expected = {"1.0a1", "1.0a1+x", "1.0a1.post1", "1.0a2.post0", "1.0b1", "1.0rc1", "1.0rc1.post1.dev1",
                  "1.0.post0.dev0", "1.0.post1", "1.0.post1+x", "1.0.post2.dev0", "1.0.post2", "1.0.1.dev0", "1.0.1",
                  "1.0.1+ubuntu1", "1.1a1", "1.1", "1.1.post1", "1.9.9"}},
    {.specifier = "",
     .expected = {"0.9", "0.9.post0", "1.0", "1.0+local", "1.0.0+abc.5", "1.0.post1", "1.0.post1+x", "1.0.post2",
                  "1.0.1", "1.0.1+ubuntu1", "1.1", "1.1.post1", "1.9.9", "2.0", "2.0.post1", "2.1", "3!0.1", "1!1.0",
                  "10.0"}},
    {.specifier = "<0.9.post0,>=0.9", .expected = {"0.9"}},
};

std::vector<Version> cross_versions()
{
    std::vector<Version> out;
    for (const auto& text : k_cross_versions) out.push_back(*Version::parse(text));
    return out;
}

class SpecifierCrossTest : public ::testing::TestWithParam<CrossRow> {};

TEST_P(SpecifierCrossTest, MatchesEachVersionAsPackagingDoes)
{
    const auto& row = GetParam();
    auto specifier = Specifier::parse(row.specifier);
    ASSERT_TRUE(specifier) << specifier.error().message;
    const auto versions = cross_versions();
    ASSERT_EQ(row.expected.size(), versions.size());
    for (std::size_t i = 0; i < versions.size(); ++i) {
        EXPECT_EQ(specifier->contains(versions[i], Prereleases::allow), row.expected[i] == '1')
            << k_cross_versions[i] << " in " << row.specifier;
    }
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierCrossTest, ::testing::ValuesIn(k_cross));

class SpecifierCrossFilterTest : public ::testing::TestWithParam<CrossFilterRow> {};

TEST_P(SpecifierCrossFilterTest, FiltersAsPackagingDoes)
{
    const auto& row = GetParam();
    auto set = SpecifierSet::parse(row.specifier);
    ASSERT_TRUE(set) << set.error().message;
    std::vector<std::string> kept;
    for (const auto& version : set->filter(cross_versions())) kept.push_back(version.to_string());
    std::vector<std::string> expected;
    for (const auto& text : row.expected) expected.push_back(Version::parse(text)->to_string());
    EXPECT_EQ(kept, expected) << row.specifier;
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierCrossFilterTest, ::testing::ValuesIn(k_cross_filter));

}  // namespace
}  // namespace gapbundle::sources::pypi
