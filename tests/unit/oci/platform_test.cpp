#include <gapbundle/sources/oci/platform.hpp>

#include <gtest/gtest.h>

#include <ostream>

namespace gapbundle::sources::oci {
namespace {

Platform platform(std::string os, std::string architecture, std::string variant = "")
{
    return Platform{std::move(os), std::move(architecture), std::move(variant)};
}

TEST(PlatformTest, ParsesOsArchitectureAndVariant)
{
    auto two = parse_platform("linux/amd64");
    ASSERT_TRUE(two) << two.error().message;
    EXPECT_EQ(*two, platform("linux", "amd64"));

    auto three = parse_platform("linux/arm64/v8");
    ASSERT_TRUE(three) << three.error().message;
    EXPECT_EQ(*three, platform("linux", "arm64", "v8"));
    EXPECT_EQ(three->to_string(), "linux/arm64/v8");
}

TEST(PlatformTest, ParsesCaseInsensitivelyAndKeepsAliases)
{
    auto parsed = parse_platform("Linux/X86_64");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, platform("linux", "x86_64"));
    EXPECT_EQ(normalize(*parsed), platform("linux", "amd64"));

    auto windows = parse_platform("windows/amd64");
    ASSERT_TRUE(windows);
    EXPECT_EQ(windows->to_string(), "windows/amd64");
}

TEST(PlatformTest, RejectsMalformedSpecifiers)
{
    const std::string shape = "': expected os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7";
    for (const std::string text : {"", "linux", "amd64", "linux/arm/v7/extra"}) {
        auto parsed = parse_platform(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
        EXPECT_EQ(parsed.error().message, "invalid platform '" + text + shape);
    }
    auto empty_arch = parse_platform("linux//v7");
    ASSERT_FALSE(empty_arch);
    EXPECT_EQ(empty_arch.error().message, "invalid platform 'linux//v7': '' is not a valid name");

    auto bad_os = parse_platform("lin.ux/amd64");
    ASSERT_FALSE(bad_os);
    EXPECT_EQ(bad_os.error().message, "invalid platform 'lin.ux/amd64': os 'lin.ux' is not a valid name");

    EXPECT_FALSE(parse_platform("linux/*"));
    EXPECT_FALSE(parse_platform("linux/amd 64"));
    EXPECT_FALSE(parse_platform("/amd64"));
}

struct NormalizeCase {
    Platform input;
    Platform expected;
};

void PrintTo(const NormalizeCase& c, std::ostream* os)
{
    *os << c.input.to_string();
}

class PlatformNormalizeTest : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(PlatformNormalizeTest, MatchesContainerd)
{
    EXPECT_EQ(normalize(GetParam().input), GetParam().expected);
    EXPECT_EQ(normalize(GetParam().expected), GetParam().expected);  // idempotent
}

INSTANTIATE_TEST_SUITE_P(
    Aliases, PlatformNormalizeTest,
    ::testing::Values(NormalizeCase{platform("linux", "amd64"), platform("linux", "amd64")},
                      NormalizeCase{platform("linux", "x86_64"), platform("linux", "amd64")},
                      NormalizeCase{platform("linux", "x86-64"), platform("linux", "amd64")},
                      NormalizeCase{platform("linux", "amd64", "v1"), platform("linux", "amd64")},
                      NormalizeCase{platform("linux", "amd64", "v3"), platform("linux", "amd64", "v3")},
                      NormalizeCase{platform("linux", "aarch64"), platform("linux", "arm64")},
                      NormalizeCase{platform("linux", "arm64", "v8"), platform("linux", "arm64")},
                      NormalizeCase{platform("linux", "arm64", "8"), platform("linux", "arm64")},
                      NormalizeCase{platform("linux", "aarch64", "v8.0"), platform("linux", "arm64")},
                      NormalizeCase{platform("linux", "arm64", "9"), platform("linux", "arm64", "v9")},
                      NormalizeCase{platform("linux", "arm64", "v9.0"), platform("linux", "arm64", "v9")},
                      NormalizeCase{platform("linux", "arm"), platform("linux", "arm", "v7")},
                      NormalizeCase{platform("linux", "arm", "7"), platform("linux", "arm", "v7")},
                      NormalizeCase{platform("linux", "arm", "6"), platform("linux", "arm", "v6")},
                      NormalizeCase{platform("linux", "arm", "5"), platform("linux", "arm", "v5")},
                      NormalizeCase{platform("linux", "arm", "v6"), platform("linux", "arm", "v6")},
                      NormalizeCase{platform("linux", "armhf"), platform("linux", "arm", "v7")},
                      NormalizeCase{platform("linux", "armel"), platform("linux", "arm", "v6")},
                      NormalizeCase{platform("linux", "i386"), platform("linux", "386")},
                      NormalizeCase{platform("linux", "386"), platform("linux", "386")},
                      NormalizeCase{platform("macos", "arm64"), platform("darwin", "arm64")},
                      NormalizeCase{platform("Linux", "AMD64"), platform("linux", "amd64")},
                      NormalizeCase{platform("linux", "s390x"), platform("linux", "s390x")},
                      NormalizeCase{platform("linux", "riscv64"), platform("linux", "riscv64")}),
    [](const ::testing::TestParamInfo<NormalizeCase>& param) { return "n" + std::to_string(param.index); });

TEST(PlatformTest, MatchesThroughAliasesAndDefaultVariants)
{
    EXPECT_TRUE(matches(platform("linux", "amd64"), platform("linux", "x86_64")));
    EXPECT_TRUE(matches(platform("linux", "arm64"), platform("linux", "arm64", "v8")));
    EXPECT_TRUE(matches(platform("linux", "arm64", "v8"), platform("linux", "arm64")));
    EXPECT_TRUE(matches(platform("linux", "aarch64"), platform("linux", "arm64", "v8")));
    EXPECT_TRUE(matches(platform("linux", "arm"), platform("linux", "arm", "v7")));
    EXPECT_TRUE(matches(platform("linux", "armhf"), platform("linux", "arm", "v7")));
    EXPECT_TRUE(matches(platform("linux", "i386"), platform("linux", "386")));

    EXPECT_FALSE(matches(platform("linux", "arm"), platform("linux", "arm", "v6")));
    EXPECT_FALSE(matches(platform("linux", "arm64"), platform("linux", "arm64", "v9")));
    EXPECT_FALSE(matches(platform("linux", "amd64"), platform("linux", "amd64", "v3")));
    EXPECT_FALSE(matches(platform("linux", "amd64"), platform("windows", "amd64")));
    EXPECT_FALSE(matches(platform("linux", "amd64"), platform("linux", "arm64")));
}

TEST(PlatformTest, ListDefaultsToLinuxAmd64)
{
    auto selection = parse_platform_list({});
    ASSERT_TRUE(selection);
    EXPECT_EQ(selection->scope, PlatformScope::listed);
    ASSERT_EQ(selection->platforms.size(), 1u);
    EXPECT_EQ(selection->platforms[0], platform("linux", "amd64"));
}

TEST(PlatformTest, ListAllKeepsTheWholeIndex)
{
    auto selection = parse_platform_list({"all"});
    ASSERT_TRUE(selection);
    EXPECT_EQ(selection->scope, PlatformScope::all);
    EXPECT_TRUE(selection->platforms.empty());

    auto mixed = parse_platform_list({"linux/amd64", "all"});
    ASSERT_FALSE(mixed);
    EXPECT_EQ(mixed.error().message, "platform 'all' cannot be combined with others");
}

TEST(PlatformTest, ListParsesEachItemInOrder)
{
    auto selection = parse_platform_list({"linux/arm64", "linux/amd64", "linux/arm/v6"});
    ASSERT_TRUE(selection) << selection.error().message;
    ASSERT_EQ(selection->platforms.size(), 3u);
    EXPECT_EQ(selection->platforms[0], platform("linux", "arm64"));
    EXPECT_EQ(selection->platforms[1], platform("linux", "amd64"));
    EXPECT_EQ(selection->platforms[2], platform("linux", "arm", "v6"));

    auto bad = parse_platform_list({"linux/amd64", "arm64"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message,
              "invalid platform 'arm64': expected os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7");
}

}  // namespace
}  // namespace gapbundle::sources::oci
