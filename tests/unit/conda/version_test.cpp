#include <gapbundle/sources/conda/version.hpp>

#include "print.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

VersionOrder v(std::string_view text)
{
    auto parsed = VersionOrder::parse(text);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().message;
        return *VersionOrder::parse("0");
    }
    return *parsed;
}

// conda's own VersionOrder docstring, in order; "==" marks a version equal to the one before.
const std::vector<std::pair<std::string, std::string>> k_conda_docs_order{
    {"", "0.4"},        {"==", "0.4.0"},     {"<", "0.4.1.rc"},   {"==", "0.4.1.RC"}, {"<", "0.4.1"},
    {"<", "0.5a1"},     {"<", "0.5b3"},      {"<", "0.5C1"},      {"<", "0.5"},       {"<", "0.9.6"},
    {"<", "0.960923"},  {"<", "1.0"},        {"<", "1.1dev1"},    {"<", "1.1_"},      {"<", "1.1a1"},
    {"<", "1.1.0dev1"}, {"==", "1.1.dev1"},  {"<", "1.1.a1"},     {"<", "1.1.0rc1"},  {"<", "1.1.0"},
    {"==", "1.1"},      {"<", "1.1.0post1"}, {"==", "1.1.post1"}, {"<", "1.1post1"},  {"<", "1996.07.12"},
    {"<", "1!0.4.1"},   {"<", "1!3.1.1.6"},  {"<", "2!0.4.1"},
};

TEST(VersionOrderTest, FollowsCondasDocumentedOrder)
{
    for (std::size_t i = 1; i < k_conda_docs_order.size(); ++i) {
        const auto& [relation, text] = k_conda_docs_order[i];
        const auto before = v(k_conda_docs_order[i - 1].second);
        const auto after = v(text);
        if (relation == "==") {
            EXPECT_EQ(before, after) << before.text() << " == " << text;
        } else {
            EXPECT_LT(before, after) << before.text() << " < " << text;
            EXPECT_GT(after, before) << text << " > " << before.text();
        }
    }
    // Every pair, not only neighbours: the order is transitive.
    for (std::size_t i = 0; i < k_conda_docs_order.size(); ++i) {
        for (std::size_t j = i + 1; j < k_conda_docs_order.size(); ++j) {
            EXPECT_LE(v(k_conda_docs_order[i].second), v(k_conda_docs_order[j].second))
                << k_conda_docs_order[i].second << " <= " << k_conda_docs_order[j].second;
        }
    }
}

TEST(VersionOrderTest, FollowsTheCep33Example)
{
    const std::vector<std::string> chain{"0.4.1.rc", "0.4.1",     "0.5a1",    "0.5b3",      "0.5C1",
                                         "0.5",      "1.1dev1",   "1.1a1",    "1.1.a1",     "1.1.0rc1",
                                         "1.1",      "1.1.post1", "1.1post1", "1996.07.12", "1!0.4.1"};
    for (std::size_t i = 1; i < chain.size(); ++i) {
        EXPECT_LT(v(chain[i - 1]), v(chain[i])) << chain[i - 1] << " < " << chain[i];
    }
    EXPECT_EQ(v("1.1.0dev1"), v("1.1.dev1"));
}

TEST(VersionOrderTest, PadsWithZeros)
{
    EXPECT_EQ(v("1.1"), v("1.1.0"));
    EXPECT_EQ(v("1"), v("1.0.0.0"));
    EXPECT_EQ(v("0!1.2"), v("1.2"));
    EXPECT_LT(v("1.1a"), v("1.1"));  // a string sorts below the padding 0
    EXPECT_LT(v("1.1"), v("1.1.0.1"));
}

TEST(VersionOrderTest, InsertedZeroMakesRcWithoutDotSortLower)
{
    // conda#12568: "1.1rc" is [1][1,rc] and "1.1.0rc" is [1][1][0,rc].
    EXPECT_LT(v("1.1rc"), v("1.1.0rc"));
    EXPECT_LT(v("1.1rc1"), v("1.1"));
}

TEST(VersionOrderTest, HasNoPep440Normalisation)
{
    EXPECT_NE(v("1.0alpha1"), v("1.0a1"));
    EXPECT_LT(v("1.0a1"), v("1.0alpha1"));  // "a" < "alpha" as strings
    EXPECT_LT(v("4.0rc1"), v("4.0"));
    EXPECT_LT(v("4.0a0"), v("4.0rc1"));  // so <4.0a0 excludes 4.0 pre-releases
    EXPECT_LT(v("3.99"), v("4.0a0"));
}

TEST(VersionOrderTest, DevSortsBelowUnderscoreAndLetters)
{
    EXPECT_LT(v("1.0dev"), v("1.0_"));
    EXPECT_LT(v("1.0_"), v("1.0a"));
    EXPECT_LT(v("1.0a"), v("1.0"));
    EXPECT_LT(v("1.0"), v("1.0post"));
    EXPECT_LT(v("1.0.post"), v("1.0.1"));  // post sits between 1.0 and the next number
    EXPECT_LT(v("1.0.9999"), v("1.0post"));
    EXPECT_EQ(v("1.0DEV1"), v("1.0dev1"));
}

TEST(VersionOrderTest, ComparesLocalPartOnlyWhenMainPartsAreEqual)
{
    EXPECT_LT(v("1.0+1"), v("1.0+2"));
    EXPECT_EQ(v("1.0"), v("1.0+0"));
    EXPECT_LT(v("1.0+5"), v("1.0.1"));
    EXPECT_LT(v("1.0+abc"), v("1.0+abc.1"));
    EXPECT_EQ(v("1.0+abc_1"), v("1.0+abc.1"));
}

TEST(VersionOrderTest, ReadsDashesAsUnderscoresWhenThereIsNoUnderscore)
{
    EXPECT_EQ(v("1.0-1"), v("1.0.1"));
    EXPECT_EQ(v("2024-01-15"), v("2024.1.15"));
    EXPECT_EQ(v("1.0-1").normalized(), "1.0_1");
    EXPECT_FALSE(VersionOrder::parse("1.0-1_2"));
}

TEST(VersionOrderTest, KeepsTheTextAsGiven)
{
    EXPECT_EQ(v(" 1.0RC1 ").text(), "1.0RC1");
    EXPECT_EQ(v("1.0RC1").normalized(), "1.0rc1");
}

TEST(VersionOrderTest, StartsWithComparesUpToThePrefixsLastAtom)
{
    EXPECT_TRUE(v("1.2.3").starts_with(v("1.2")));
    EXPECT_TRUE(v("1.2").starts_with(v("1.2")));
    EXPECT_TRUE(v("1.2.0").starts_with(v("1.2")));
    EXPECT_TRUE(v("1.2a1").starts_with(v("1.2")));
    EXPECT_FALSE(v("1.20").starts_with(v("1.2")));
    EXPECT_FALSE(v("1.3").starts_with(v("1.2")));
    EXPECT_FALSE(v("1").starts_with(v("1.2")));
    EXPECT_TRUE(v("1").starts_with(v("1.0")));  // padding: 1 is 1.0
    EXPECT_TRUE(v("1.2rc1").starts_with(v("1.2r")));
    EXPECT_FALSE(v("1.2").starts_with(v("1.2r")));
    EXPECT_TRUE(v("3.11.9").starts_with(v("3.11")));
    EXPECT_FALSE(v("1!3.11.9").starts_with(v("3.11")));
    EXPECT_TRUE(v("1.0+abc.2").starts_with(v("1.0+abc")));
    EXPECT_FALSE(v("1.0.1+abc").starts_with(v("1.0+abc")));
}

class VersionOrderInvalidTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(VersionOrderInvalidTest, IsRejectedWithTheReason)
{
    const auto& [text, message] = GetParam();
    auto parsed = VersionOrder::parse(text);
    ASSERT_FALSE(parsed) << text << " parsed";
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, message);
}

INSTANTIATE_TEST_SUITE_P(
    Conda, VersionOrderInvalidTest,
    ::testing::Values(
        std::pair<std::string, std::string>{"", "invalid version '': empty version string"},
        std::pair<std::string, std::string>{"  ", "invalid version '  ': empty version string"},
        std::pair<std::string, std::string>{"1..2", "invalid version '1..2': empty version component"},
        std::pair<std::string, std::string>{"1.2.", "invalid version '1.2.': empty version component"},
        std::pair<std::string, std::string>{"1.0 a", "invalid version '1.0 a': invalid character ' '"},
        std::pair<std::string, std::string>{"1.0@x", "invalid version '1.0@x': invalid character '@'"},
        std::pair<std::string, std::string>{"1!2!3", "invalid version '1!2!3': duplicated epoch separator '!'"},
        std::pair<std::string, std::string>{"a!1", "invalid version 'a!1': epoch must be an integer"},
        std::pair<std::string, std::string>{"!1", "invalid version '!1': epoch must be an integer"},
        std::pair<std::string, std::string>{"1+2+3", "invalid version '1+2+3': duplicated local version separator '+'"},
        std::pair<std::string, std::string>{
            "+1", "invalid version '+1': missing version before the local part or after the epoch"},
        std::pair<std::string, std::string>{"1.0+", "invalid version '1.0+': empty version component"},
        std::pair<std::string, std::string>{"1.99999999999999999999",
                                            "invalid version '1.99999999999999999999': a number is too large"}));

}  // namespace
}  // namespace gapbundle::sources::conda
