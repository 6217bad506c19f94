#include <gapbundle/sources/helm/semver.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace gapbundle::sources::helm {
namespace {

SemVer v(const std::string& text)
{
    auto version = SemVer::parse(text);
    EXPECT_TRUE(version) << text << ": " << version.error().message;
    return version ? *version : SemVer{};
}

bool fits(const std::string& constraint, const std::string& version, bool prereleases = false)
{
    auto parsed = SemVerConstraint::parse(constraint);
    EXPECT_TRUE(parsed) << constraint << ": " << parsed.error().message;
    return parsed && parsed->matches(v(version), prereleases);
}

TEST(SemVerTest, ReadsWhatMastermindsReads)
{
    const auto full = v("v1.2.3-rc.1+build.5");
    EXPECT_EQ(full.major(), 1u);
    EXPECT_EQ(full.minor(), 2u);
    EXPECT_EQ(full.patch(), 3u);
    EXPECT_EQ(full.prerelease(), "rc.1");
    EXPECT_EQ(full.build(), "build.5");
    EXPECT_EQ(full.text(), "v1.2.3-rc.1+build.5");
    EXPECT_EQ(v("1.2"), v("1.2.0"));
    EXPECT_EQ(v("1"), v("1.0.0"));
    EXPECT_EQ(v("1.0.0-x-y-z.--"), v("1.0.0-x-y-z.--"));
    for (const char* bad : {"", "v", "1.2.3.4", "1..2", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b", "a.b.c",
                            "1.2.3 ", "-1.2.3", "1.2.3-a_b", "99999999999999999999.0.0"}) {
        auto parsed = SemVer::parse(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().message, "invalid semantic version '" + std::string(bad) + "'");
        EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    }
}

TEST(SemVerTest, StrictIsExactlyThreePartsWithoutV)
{
    EXPECT_TRUE(SemVer::parse_strict("1.2.3"));
    EXPECT_TRUE(SemVer::parse_strict("0.1.0-alpha.1+b7"));
    for (const char* bad : {"v1.2.3", "1.2", "1", "01.2.3", "1.02.3", "1.2.03"}) EXPECT_FALSE(SemVer::parse_strict(bad)) << bad;
}

// SemVer 2.0.0 §11's example, in order, and build metadata that does not count.
TEST(SemVerTest, OrdersAsTheSpecification)
{
    const std::vector<std::string> ordered{"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                           "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
                                           "1.0.1",        "1.1.0",         "1.10.0",           "2.0.0"};
    for (std::size_t i = 0; i < ordered.size(); ++i)
        for (std::size_t j = 0; j < ordered.size(); ++j)
            EXPECT_EQ(v(ordered[i]).compare(v(ordered[j])), i < j ? -1 : (i == j ? 0 : 1))
                << ordered[i] << " vs " << ordered[j];
    EXPECT_EQ(v("1.0.0+a").compare(v("1.0.0+b")), 0);
    EXPECT_LT(v("1.0.0-2"), v("1.0.0-10"));
    EXPECT_LT(v("1.0.0-10"), v("1.0.0-a"));
}

// Masterminds/semver v3's documented ranges (README "Checking Version Constraints").
TEST(SemVerConstraintTest, BasicComparisons)
{
    EXPECT_TRUE(fits(">= 1.2.3", "1.2.3"));
    EXPECT_TRUE(fits(">= 1.2.3", "1.3"));
    EXPECT_FALSE(fits(">= 1.2.3", "1.2.2"));
    EXPECT_TRUE(fits("=> 1.2.3", "2.0.0"));
    EXPECT_TRUE(fits("> 1.2.3", "1.2.4"));
    EXPECT_FALSE(fits("> 1.2.3", "1.2.3"));
    EXPECT_TRUE(fits("< 2", "1.9.9"));
    EXPECT_FALSE(fits("< 2", "2.0.0"));
    EXPECT_TRUE(fits("<= 1.2.3", "1.2.3"));
    EXPECT_TRUE(fits("=< 1.2.3", "1.0.0"));
    EXPECT_TRUE(fits("1.2.3", "1.2.3"));
    EXPECT_TRUE(fits("= 1.2.3", "1.2.3+meta"));
    EXPECT_FALSE(fits("1.2.3", "1.2.4"));
    EXPECT_TRUE(fits("!= 1.2.3", "1.2.4"));
    EXPECT_FALSE(fits("!= 1.2.3", "1.2.3"));
}

TEST(SemVerConstraintTest, AndOrAndRanges)
{
    EXPECT_TRUE(fits(">= 1.2, < 3.0.0 || >= 4.2.3", "2.5.0"));
    EXPECT_FALSE(fits(">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0"));
    EXPECT_TRUE(fits(">= 1.2, < 3.0.0 || >= 4.2.3", "4.2.3"));
    EXPECT_TRUE(fits(">=1.2 <3", "2.0.0"));  // space is AND too
    EXPECT_FALSE(fits(">=1.2 <3", "3.0.0"));
    EXPECT_TRUE(fits("1.2 - 1.4.5", "1.2.0"));
    EXPECT_TRUE(fits("1.2 - 1.4.5", "1.4.5"));
    EXPECT_FALSE(fits("1.2 - 1.4.5", "1.4.6"));
    EXPECT_FALSE(fits("1.2 - 1.4.5", "1.1.9"));
    EXPECT_TRUE(fits("2.3.4 - 4.5", "4.5.9"));  // <= 4.5 keeps 4.5.x
    EXPECT_FALSE(fits("2.3.4 - 4.5", "4.6.0"));
}

TEST(SemVerConstraintTest, Wildcards)
{
    EXPECT_TRUE(fits("1.2.x", "1.2.9"));
    EXPECT_FALSE(fits("1.2.x", "1.3.0"));
    EXPECT_TRUE(fits("1.2.*", "1.2.0"));
    EXPECT_TRUE(fits(">= 1.2.x", "1.2.0"));
    EXPECT_TRUE(fits("<= 2.x", "2.9.9"));
    EXPECT_FALSE(fits("<= 2.x", "3.0.0"));
    EXPECT_TRUE(fits("*", "0.0.1"));
    EXPECT_TRUE(fits("*", "99.1.2"));
    EXPECT_TRUE(fits("x", "1.0.0"));
    EXPECT_TRUE(fits("1", "1.9.0"));
    EXPECT_FALSE(fits("1", "2.0.0"));
    EXPECT_TRUE(fits("> 1.x", "2.0.0"));
    EXPECT_FALSE(fits("> 1.x", "1.5.0"));
    EXPECT_TRUE(fits("> 1.2", "1.3.0"));
    EXPECT_FALSE(fits("> 1.2", "1.2.5"));
    EXPECT_FALSE(fits("!= 1.2.x", "1.2.7"));
    EXPECT_TRUE(fits("!= 1.2.x", "1.3.0"));
    EXPECT_FALSE(fits("!= 1.x", "1.3.0"));
    EXPECT_TRUE(fits("!= 1.x", "2.0.0"));
}

TEST(SemVerConstraintTest, TildeAndCaret)
{
    // ~1.2.3 is >= 1.2.3, < 1.3.0; ~1 is >= 1, < 2; ~2.3 is >= 2.3, < 2.4; ~1.x is >= 1, < 2.
    EXPECT_TRUE(fits("~1.2.3", "1.2.9"));
    EXPECT_FALSE(fits("~1.2.3", "1.3.0"));
    EXPECT_FALSE(fits("~1.2.3", "1.2.2"));
    EXPECT_TRUE(fits("~1", "1.9.0"));
    EXPECT_FALSE(fits("~1", "2.0.0"));
    EXPECT_TRUE(fits("~2.3", "2.3.9"));
    EXPECT_FALSE(fits("~2.3", "2.4.0"));
    EXPECT_TRUE(fits("~>1.x", "1.5.0"));
    EXPECT_TRUE(fits("~0.0.0", "5.0.0"));
    // ^1.2.3 is >= 1.2.3, < 2; ^0.2.3 is >= 0.2.3, < 0.3; ^0.0.3 is exactly 0.0.3; ^0.0 is < 0.1; ^0 is < 1.
    EXPECT_TRUE(fits("^1.2.3", "1.9.9"));
    EXPECT_FALSE(fits("^1.2.3", "2.0.0"));
    EXPECT_FALSE(fits("^1.2.3", "1.2.2"));
    EXPECT_TRUE(fits("^1.2", "1.2.0"));
    EXPECT_TRUE(fits("^0.2.3", "0.2.9"));
    EXPECT_FALSE(fits("^0.2.3", "0.3.0"));
    EXPECT_TRUE(fits("^0.0.3", "0.0.3"));
    EXPECT_FALSE(fits("^0.0.3", "0.0.4"));
    EXPECT_TRUE(fits("^0.0", "0.0.9"));
    EXPECT_FALSE(fits("^0.0", "0.1.0"));
    EXPECT_TRUE(fits("^0", "0.9.0"));
    EXPECT_FALSE(fits("^0", "1.0.0"));
    EXPECT_TRUE(fits("^18.1", "18.6.4"));  // the example for a bitnami chart
    EXPECT_FALSE(fits("^18.1", "19.0.0"));
}

// A pre-release fits only an alternative that names one, or when they are asked for (helm --devel).
TEST(SemVerConstraintTest, PrereleasesOnlyWhenNamedOrAskedFor)
{
    EXPECT_FALSE(fits(">= 1.0.0", "1.5.0-beta.1"));
    EXPECT_TRUE(fits(">= 1.0.0", "1.5.0-beta.1", true));
    EXPECT_TRUE(fits(">= 1.5.0-0", "1.5.0-beta.1"));
    EXPECT_TRUE(fits(">= 1.5.0-0 || >= 3", "1.6.0-rc.1"));
    EXPECT_FALSE(fits(">= 3 || < 2", "1.6.0-rc.1"));
    EXPECT_FALSE(fits("^1.2.3", "1.3.0-rc.1"));
    EXPECT_TRUE(fits("^1.2.3-0", "1.3.0-rc.1"));
    EXPECT_TRUE(fits(">0.0.0-0", "1.0.0-rc.1"));  // helm's --devel constraint
    EXPECT_FALSE(fits("1.2.x", "1.2.5-beta"));
}

TEST(SemVerConstraintTest, ErrorsNameTheConstraintAndWhy)
{
    const auto error = [](const std::string& text) {
        auto parsed = SemVerConstraint::parse(text);
        EXPECT_FALSE(parsed) << text;
        if (parsed) return std::string("(parsed)");
        EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
        return parsed.error().message;
    };
    EXPECT_EQ(error(""), "invalid version constraint '': an empty alternative");
    EXPECT_EQ(error(">= 1.2 ||"), "invalid version constraint '>= 1.2 ||': an empty alternative");
    EXPECT_EQ(error(">="), "invalid version constraint '>=': a comparison without a version");
    EXPECT_EQ(error(">= 1.2,"), "invalid version constraint '>= 1.2,': a ',' with nothing after it");
    EXPECT_EQ(error("~> abc"), "invalid version constraint '~> abc': 'abc' is not a version");
    EXPECT_EQ(error("1.2.3.4"), "invalid version constraint '1.2.3.4': '1.2.3.4' is not a version");
    EXPECT_EQ(error(">= 1 - 2"), "invalid version constraint '>= 1 - 2': an operator before a range 'A - B'");
    EXPECT_EQ(error("1.0 - abc"), "invalid version constraint '1.0 - abc': a range whose ends are not versions");
}

TEST(SemVerConstraintTest, PicksTheNewestFittingVersionAsHelmDoes)
{
    std::vector<SemVer> versions;
    for (const char* text : {"18.0.0", "18.1.0", "18.6.4", "19.0.0-rc.1", "19.0.0", "17.9.9"}) versions.push_back(v(text));
    std::ranges::sort(versions, std::greater<>());
    const auto newest = [&](const std::string& constraint, bool devel = false) -> std::string {
        auto parsed = SemVerConstraint::parse(constraint);
        if (!parsed) return parsed.error().message;
        for (const auto& version : versions)
            if (parsed->matches(version, devel)) return version.text();
        return "(none)";
    };
    EXPECT_EQ(newest("^18.1"), "18.6.4");
    EXPECT_EQ(newest("*"), "19.0.0");
    EXPECT_EQ(newest("> 19.0.0-0", false), "19.0.0");
    EXPECT_EQ(newest("~17"), "17.9.9");
    EXPECT_EQ(newest("^20"), "(none)");
}

}  // namespace
}  // namespace gapbundle::sources::helm
