#include <gapbundle/sources/pypi/specifier.hpp>

#include "print.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

Version v(std::string_view text)
{
    return *Version::parse(text);
}

SpecifierSet set(std::string_view text)
{
    auto parsed = SpecifierSet::parse(text);
    if (!parsed) ADD_FAILURE() << parsed.error().message;
    return parsed.value_or(SpecifierSet());
}

TEST(SpecifierTest, ErrorsSayWhichRuleIsBroken)
{
    const auto message = [](std::string_view text) {
        auto parsed = Specifier::parse(text);
        return parsed ? std::string("parsed") : parsed.error().message;
    };
    EXPECT_EQ(message(">=1.0+abc"),
              "invalid specifier '>=1.0+abc': a local version label is only allowed with == and !=");
    EXPECT_EQ(message("~=1"), "invalid specifier '~=1': ~= needs at least two release numbers, like ~=1.0");
    EXPECT_EQ(message(">=1.*"), "invalid specifier '>=1.*': .* is only allowed with == and !=");
    EXPECT_EQ(message("==1.0a1.*"),
              "invalid specifier '==1.0a1.*': .* cannot follow a pre-release, post-release, dev or local version");
    EXPECT_EQ(message(">="), "invalid specifier '>=': expected a version after '>='");
    EXPECT_EQ(message("=>2.0"),
              "invalid specifier '=>2.0': expected an operator (~=, ==, !=, <=, >=, <, >, ===) before the version");
    EXPECT_EQ(message("==1.0 a1"), "invalid specifier '==1.0 a1': '1.0 a1' is not a valid version");
}

TEST(SpecifierTest, KeepsTheTextAsWritten)
{
    EXPECT_EQ(Specifier::parse(" >=  1.0 ")->to_string(), ">=1.0");
    EXPECT_EQ(Specifier::parse("==1.2.*")->to_string(), "==1.2.*");
    EXPECT_EQ(Specifier::parse("==1.2.*")->version_text(), "1.2");
    EXPECT_TRUE(Specifier::parse("==1.2.*")->is_wildcard());
    EXPECT_EQ(Specifier::parse("~=2.2")->op(), SpecifierOperator::compatible);
    EXPECT_EQ(set(">=1.0, <2 ,!=1.5").to_string(), ">=1.0,<2,!=1.5");
    EXPECT_EQ(set(">=1.0,").specifiers().size(), 1U);
    EXPECT_TRUE(set("").empty());
}

TEST(SpecifierTest, FactSheetExamples)
{
    EXPECT_TRUE(set("~=2.2").contains(v("2.9")));
    EXPECT_FALSE(set("~=2.2").contains(v("3.0")));
    EXPECT_TRUE(set("==1.0").contains(v("1.0+abc")));
    EXPECT_TRUE(set("==1.1.*").contains(v("1.1")));
    EXPECT_TRUE(set("==1.1.*").contains(v("1.1.post1")));
    EXPECT_FALSE(set("==1.1.*").contains(v("1.1a1")));
    EXPECT_TRUE(set("==1.1.*").contains(v("1.1a1"), Prereleases::allow));
    EXPECT_FALSE(set("<2.0").contains(v("2.0rc1"), Prereleases::allow));
    EXPECT_FALSE(set(">1.7").contains(v("1.7.post1")));
    EXPECT_FALSE(set(">1.7").contains(v("1.7.0+local")));
    EXPECT_TRUE(set(">1.7").contains(v("1.7.1")));
    EXPECT_TRUE(set(">1.7.post2").contains(v("1.7.0.post3")));
    EXPECT_TRUE(set("===foobar").specifiers()[0].matches(v("1.0")) == false);
}

TEST(SpecifierTest, PreReleasesNeedToBeAskedForOrNamed)
{
    EXPECT_FALSE(set(">=1.0").contains(v("2.0a1")));
    EXPECT_TRUE(set(">=1.0").contains(v("2.0a1"), Prereleases::allow));
    EXPECT_TRUE(set(">=1.1rc1").contains(v("2.0a1")));
    EXPECT_FALSE(set(">=1.1rc1").contains(v("2.0a1"), Prereleases::exclude));
    EXPECT_FALSE(set("!=1.1rc1").contains(v("2.0a1")));  // != does not count as naming one
    EXPECT_FALSE(set("").contains(v("1.0.dev1")));
    EXPECT_TRUE(set("").contains(v("1.0")));
}

TEST(SpecifierTest, FilterFallsBackToPreReleasesOnlyWhenNothingElseMatches)
{
    const std::vector<Version> candidates = {v("1.0"), v("2.0b1"), v("2.0")};
    EXPECT_EQ(set(">=1.5").filter(candidates), (std::vector<Version>{v("2.0")}));
    EXPECT_EQ(set(">1.0,!=2.0").filter(candidates), (std::vector<Version>{v("2.0b1")}));
    EXPECT_TRUE(set(">1.0,!=2.0").filter(candidates, Prereleases::exclude).empty());
    EXPECT_EQ(set(">=1.5").filter(candidates, Prereleases::allow), (std::vector<Version>{v("2.0b1"), v("2.0")}));
    EXPECT_TRUE(set(">3").filter(candidates).empty());
}

}  // namespace
}  // namespace gapbundle::sources::pypi
