#include <gapbundle/sources/pypi/version.hpp>

#include "print.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

Version v(std::string_view text)
{
    auto parsed = Version::parse(text);
    if (!parsed) ADD_FAILURE() << parsed.error().message;
    return parsed.value_or(Version(Version::Parts{
        .epoch = 0, .release = {0}, .pre = std::nullopt, .post = std::nullopt, .dev = std::nullopt, .local = {}}));
}

class VersionInvalidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(VersionInvalidTest, IsRejectedWithTheTextInTheMessage)
{
    auto parsed = Version::parse(GetParam());
    ASSERT_FALSE(parsed) << GetParam() << " parsed as " << parsed->to_string();
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message.rfind("invalid version '" + GetParam() + "'", 0), 0U) << parsed.error().message;
}

// packaging's invalid list (ASCII entries), plus the edges of each optional part.
INSTANTIATE_TEST_SUITE_P(Packaging, VersionInvalidTest,
                         ::testing::Values("french toast", "1.0+a+", "1.0++", "1.0+_foobar", "1.0+foo&asd", "1.0+1+1",
                                           "1. 0", "1 .0", "1. 0a1", "1 .0a1", "1.0 a1", "1.0a 1", ".", "..", "1..0",
                                           "1.0.", ".1.0", "1..2.3", "", "   ", "v", "vv1.0", "1!", "!1.0", "1!!2",
                                           "1.0+", "1.0+.a", "1.0+a.", "1.0-", "1.0_1", "1.0..post1", "1.0dev-dev",
                                           "1.0a1a2", "1.0.post1.post2", "1.0.dev1.post1", "1.0.dev1a1", "1.0alph",
                                           "1.0gamma1", "1.*", "==1.0", "1.0;", "a1.0", "-1.0", "1.0+ab c",
                                           "18446744073709551616", "1.0a99999999999999999999"));

TEST(VersionTest, AnOverflowingNumberSaysSo)
{
    auto parsed = Version::parse("1.99999999999999999999");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "invalid version '1.99999999999999999999': a number is too large");
}

TEST(VersionTest, TrailingZerosDoNotCountButStayInTheText)
{
    EXPECT_EQ(v("1.0"), v("1.0.0"));
    EXPECT_EQ(v("1"), v("1.0.0.0"));
    EXPECT_EQ(v("1.0a1"), v("1.0.0a1"));
    EXPECT_EQ(v("1.0+abc"), v("1.0.0+abc"));
    EXPECT_EQ(v("0"), v("0.0"));
    EXPECT_EQ(v("1.0.0").to_string(), "1.0.0");
    EXPECT_LT(v("1.0"), v("1.0.1"));
    EXPECT_LT(v("1.0.0.0.1"), v("1.1"));
    EXPECT_NE(v("1.0"), v("1.0+0"));
}

TEST(VersionTest, EpochOutranksEverythingElse)
{
    EXPECT_LT(v("2024.1"), v("1!0.1"));
    EXPECT_LT(v("1!0.1"), v("2!0.0.dev0"));
    EXPECT_EQ(v("0!1.0"), v("1.0"));
    EXPECT_EQ(v("0!1.0").to_string(), "1.0");
}

TEST(VersionTest, ReferenceChainFromTheFactSheet)
{
    const std::vector<std::string> chain = {"1.0.dev1",    "1.0a1.dev1", "1.0rc1",    "1.0",  "1.0+abc",
                                            "1.0+local.1", "1.0+5",      "1.0.post1", "1!0.1"};
    for (std::size_t i = 1; i < chain.size(); ++i) EXPECT_LT(v(chain[i - 1]), v(chain[i])) << chain[i];
}

TEST(VersionTest, LocalLabelsCompareSegmentBySegment)
{
    EXPECT_LT(v("1.0"), v("1.0+anything"));
    EXPECT_LT(v("1.0+abc"), v("1.0+abd"));
    EXPECT_EQ(v("1.0+ABC"), v("1.0+abc"));
    EXPECT_LT(v("1.0+zzz"), v("1.0+0"));  // a number beats letters
    EXPECT_LT(v("1.0+2"), v("1.0+10"));   // numbers compare as numbers
    EXPECT_LT(v("1.0+a"), v("1.0+a.0"));  // the longer label wins
    EXPECT_EQ(v("1.0+01"), v("1.0+1"));
    EXPECT_EQ(v("1.0+a-1"), v("1.0+a.1"));
    EXPECT_LT(v("1.0+ubuntu.1"), v("1.0.post1"));
}

TEST(VersionTest, PreReleaseSpellingsAreTheSameVersion)
{
    EXPECT_EQ(v("1.0c1"), v("1.0rc1"));
    EXPECT_EQ(v("1.0pre1"), v("1.0rc1"));
    EXPECT_EQ(v("1.0preview1"), v("1.0rc1"));
    EXPECT_EQ(v("1.0alpha1"), v("1.0a1"));
    EXPECT_EQ(v("1.0beta1"), v("1.0b1"));
    EXPECT_EQ(v("1.0-1"), v("1.0.post1"));
    EXPECT_EQ(v("1.0r1"), v("1.0.post1"));
    EXPECT_EQ(v("1.0rev1"), v("1.0.post1"));
}

TEST(VersionTest, DevAndPostOrderInsideAPreRelease)
{
    EXPECT_LT(v("1.0a1.dev1"), v("1.0a1"));
    EXPECT_LT(v("1.0a1"), v("1.0a1.post1.dev1"));
    EXPECT_LT(v("1.0a1.post1.dev1"), v("1.0a1.post1"));
    EXPECT_LT(v("1.0a1.post1"), v("1.0a2.dev0"));
    EXPECT_LT(v("1.0.dev5"), v("1.0a0.dev0"));
    EXPECT_LT(v("1.0.post1.dev9"), v("1.0.post1"));
    EXPECT_LT(v("1.0"), v("1.0.post0.dev0"));
}

struct FlagsCase {
    std::string text;
    bool prerelease;
    bool devrelease;
    bool postrelease;
};

class VersionFlagsTest : public ::testing::TestWithParam<FlagsCase> {};

TEST_P(VersionFlagsTest, ReportsItsKind)
{
    const auto& c = GetParam();
    const auto parsed = v(c.text);
    EXPECT_EQ(parsed.is_prerelease(), c.prerelease) << c.text;
    EXPECT_EQ(parsed.is_devrelease(), c.devrelease) << c.text;
    EXPECT_EQ(parsed.is_postrelease(), c.postrelease) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Packaging, VersionFlagsTest,
    ::testing::Values(FlagsCase{.text = "1.0", .prerelease = false, .devrelease = false, .postrelease = false},
                      FlagsCase{.text = "1.0.dev0", .prerelease = true, .devrelease = true, .postrelease = false},
                      FlagsCase{.text = "1.0a1", .prerelease = true, .devrelease = false, .postrelease = false},
                      FlagsCase{.text = "1.0b1", .prerelease = true, .devrelease = false, .postrelease = false},
                      FlagsCase{.text = "1.0rc1", .prerelease = true, .devrelease = false, .postrelease = false},
                      FlagsCase{.text = "1.0rc1.post1", .prerelease = true, .devrelease = false, .postrelease = true},
                      FlagsCase{.text = "1.0.post1", .prerelease = false, .devrelease = false, .postrelease = true},
                      FlagsCase{.text = "1.0.post1.dev1", .prerelease = true, .devrelease = true, .postrelease = true},
                      FlagsCase{.text = "1.0a1.dev1+x", .prerelease = true, .devrelease = true, .postrelease = false},
                      FlagsCase{.text = "1.0+local", .prerelease = false, .devrelease = false, .postrelease = false},
                      FlagsCase{.text = "1!1.0.post1", .prerelease = false, .devrelease = false, .postrelease = true}));

TEST(VersionTest, ExposesItsParts)
{
    const auto parsed = v("2!1.2.3rc4.post5.dev6+Ubuntu.7");
    EXPECT_EQ(parsed.epoch(), 2U);
    EXPECT_EQ(parsed.release(), (std::vector<std::uint64_t>{1, 2, 3}));
    ASSERT_TRUE(parsed.pre());
    EXPECT_EQ(parsed.pre()->kind, PreReleaseKind::candidate);
    EXPECT_EQ(parsed.pre()->number, 4U);
    EXPECT_EQ(parsed.post(), 5U);
    EXPECT_EQ(parsed.dev(), 6U);
    ASSERT_EQ(parsed.local().size(), 2U);
    EXPECT_EQ(std::get<std::string>(parsed.local()[0]), "ubuntu");
    EXPECT_EQ(std::get<std::uint64_t>(parsed.local()[1]), 7U);
    EXPECT_TRUE(parsed.has_local());
    EXPECT_EQ(parsed.to_string(), "2!1.2.3rc4.post5.dev6+ubuntu.7");
    EXPECT_EQ(parsed.public_version().to_string(), "2!1.2.3rc4.post5.dev6");
    EXPECT_EQ(parsed.base_version().to_string(), "2!1.2.3");
}

TEST(VersionTest, BuildsFromParts)
{
    const Version built(Version::Parts{.epoch = 0,
                                       .release = {1, 4},
                                       .pre = PreRelease{.kind = PreReleaseKind::beta, .number = 2},
                                       .post = std::nullopt,
                                       .dev = 0,
                                       .local = {}});
    EXPECT_EQ(built.to_string(), "1.4b2.dev0");
    EXPECT_EQ(built, v("1.4.0b2.dev0"));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
