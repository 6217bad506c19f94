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
    EXPECT_TRUE(parsed) << text << ": " << (parsed ? "" : parsed.error().message);
    return parsed ? *parsed
                  : Version(Version::Parts{.epoch = 0,
                                           .release = {},
                                           .pre = std::nullopt,
                                           .post = std::nullopt,
                                           .dev = std::nullopt,
                                           .local = {}});
}

// pypa/packaging's tests/test_version.py VERSIONS, in ascending order.
const std::vector<std::string> k_ordered = {
    "1.0.dev0",
    "1.0.dev456",
    "1.0.dev456+local",
    "1.0a0",
    "1.0a0.post0.dev0",
    "1.0a0.post0",
    "1.0a1.dev1",
    "1.0a1.dev1+local",
    "1.0a1",
    "1.0a1+local",
    "1.0b0",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0b2-346",
    "1.0rc0",
    "1.0rc1.dev1",
    "1.0c1",
    "1.0rc2",
    "1.0",
    "1.0.post0.dev0",
    "1.0.post0",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.post456+local",
    "1.0.1.dev1",
    "1.0.1a1",
    "1.0.1",
    "1.0.1+local",
    "1.0.1.post1",
    "1.1.dev1",
    "1.2+a",
    "1.2+abc",
    "1.2+abcdef",
    "1.2+def",
    "1.2+0",
    "1.2+1",
    "1.2+1.abc",
    "1.2+1.1",
    "1.2+1.1.0",
    "1.2+2",
    "1.2+123",
    "1.2+123456",
    "1.2.r32+123456",
    "1.2.rev33+123456",
    "1!1.0.dev0",
    "1!1.0.dev456",
    "1!1.0.dev456+local",
    "1!1.0a0",
    "1!1.0a0.post0.dev0",
    "1!1.0a0.post0",
    "1!1.0a1.dev1",
    "1!1.0a1.dev1+local",
    "1!1.0a1",
    "1!1.0a1+local",
    "1!1.0b0",
    "1!1.0b1.dev456",
    "1!1.0b2",
    "1!1.0b2.post345.dev456",
    "1!1.0b2.post345",
    "1!1.0b2-346",
    "1!1.0rc0",
    "1!1.0rc1.dev1",
    "1!1.0c1",
    "1!1.0rc2",
    "1!1.0",
    "1!1.0.post0.dev0",
    "1!1.0.post0",
    "1!1.0.post456.dev34",
    "1!1.0.post456",
    "1!1.0.post456+local",
    "1!1.0.1.dev1",
    "1!1.0.1a1",
    "1!1.0.1",
    "1!1.0.1+local",
    "1!1.0.1.post1",
    "1!1.1.dev1",
    "1!1.2+a",
    "1!1.2+abc",
    "1!1.2+abcdef",
    "1!1.2+def",
    "1!1.2+0",
    "1!1.2+1",
    "1!1.2+1.abc",
    "1!1.2+1.1",
    "1!1.2+1.1.0",
    "1!1.2+2",
    "1!1.2+123",
    "1!1.2+123456",
    "1!1.2.r32+123456",
    "1!1.2.rev33+123456",
};

class VersionOrderTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(VersionOrderTest, SortsAfterEveryEarlierVersionAndBeforeEveryLaterOne)
{
    const auto i = GetParam();
    const auto self = v(k_ordered[i]);
    for (std::size_t j = 0; j < k_ordered.size(); ++j) {
        const auto other = v(k_ordered[j]);
        if (j < i) {
            EXPECT_GT(self, other) << k_ordered[i] << " vs " << k_ordered[j];
        } else if (j > i) {
            EXPECT_LT(self, other) << k_ordered[i] << " vs " << k_ordered[j];
        } else {
            EXPECT_EQ(self, other);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Packaging, VersionOrderTest, ::testing::Range<std::size_t>(0, k_ordered.size()));

struct TextCase {
    std::string input;
    std::string expected;
};

// packaging's normalisation table, then its str/repr table.
const std::vector<TextCase> k_normalised = {
    {"1.0dev", "1.0.dev0"},
    {"1.0.dev", "1.0.dev0"},
    {"1.0dev1", "1.0.dev1"},
    {"1.0-dev", "1.0.dev0"},
    {"1.0-dev1", "1.0.dev1"},
    {"1.0DEV", "1.0.dev0"},
    {"1.0.DEV", "1.0.dev0"},
    {"1.0DEV1", "1.0.dev1"},
    {"1.0.DEV1", "1.0.dev1"},
    {"1.0-DEV", "1.0.dev0"},
    {"1.0-DEV1", "1.0.dev1"},
    {"1.0a", "1.0a0"},
    {"1.0.a", "1.0a0"},
    {"1.0.a1", "1.0a1"},
    {"1.0-a", "1.0a0"},
    {"1.0-a1", "1.0a1"},
    {"1.0alpha", "1.0a0"},
    {"1.0.alpha", "1.0a0"},
    {"1.0.alpha1", "1.0a1"},
    {"1.0-alpha", "1.0a0"},
    {"1.0-alpha1", "1.0a1"},
    {"1.0A", "1.0a0"},
    {"1.0.A", "1.0a0"},
    {"1.0.A1", "1.0a1"},
    {"1.0-A", "1.0a0"},
    {"1.0-A1", "1.0a1"},
    {"1.0ALPHA", "1.0a0"},
    {"1.0.ALPHA", "1.0a0"},
    {"1.0.ALPHA1", "1.0a1"},
    {"1.0-ALPHA", "1.0a0"},
    {"1.0-ALPHA1", "1.0a1"},
    {"1.0b", "1.0b0"},
    {"1.0.b", "1.0b0"},
    {"1.0.b1", "1.0b1"},
    {"1.0-b", "1.0b0"},
    {"1.0-b1", "1.0b1"},
    {"1.0beta", "1.0b0"},
    {"1.0.beta", "1.0b0"},
    {"1.0.beta1", "1.0b1"},
    {"1.0-beta", "1.0b0"},
    {"1.0-beta1", "1.0b1"},
    {"1.0B", "1.0b0"},
    {"1.0.B", "1.0b0"},
    {"1.0.B1", "1.0b1"},
    {"1.0-B", "1.0b0"},
    {"1.0-B1", "1.0b1"},
    {"1.0BETA", "1.0b0"},
    {"1.0.BETA", "1.0b0"},
    {"1.0.BETA1", "1.0b1"},
    {"1.0-BETA", "1.0b0"},
    {"1.0-BETA1", "1.0b1"},
    {"1.0c", "1.0rc0"},
    {"1.0.c", "1.0rc0"},
    {"1.0.c1", "1.0rc1"},
    {"1.0-c", "1.0rc0"},
    {"1.0-c1", "1.0rc1"},
    {"1.0rc", "1.0rc0"},
    {"1.0.rc", "1.0rc0"},
    {"1.0.rc1", "1.0rc1"},
    {"1.0-rc", "1.0rc0"},
    {"1.0-rc1", "1.0rc1"},
    {"1.0C", "1.0rc0"},
    {"1.0.C", "1.0rc0"},
    {"1.0.C1", "1.0rc1"},
    {"1.0-C", "1.0rc0"},
    {"1.0-C1", "1.0rc1"},
    {"1.0RC", "1.0rc0"},
    {"1.0.RC", "1.0rc0"},
    {"1.0.RC1", "1.0rc1"},
    {"1.0-RC", "1.0rc0"},
    {"1.0-RC1", "1.0rc1"},
    {"1.0post", "1.0.post0"},
    {"1.0.post", "1.0.post0"},
    {"1.0post1", "1.0.post1"},
    {"1.0-post", "1.0.post0"},
    {"1.0-post1", "1.0.post1"},
    {"1.0POST", "1.0.post0"},
    {"1.0.POST", "1.0.post0"},
    {"1.0POST1", "1.0.post1"},
    {"1.0r", "1.0.post0"},
    {"1.0rev", "1.0.post0"},
    {"1.0.POST1", "1.0.post1"},
    {"1.0.r1", "1.0.post1"},
    {"1.0.rev1", "1.0.post1"},
    {"1.0-POST", "1.0.post0"},
    {"1.0-POST1", "1.0.post1"},
    {"1.0-5", "1.0.post5"},
    {"1.0-r5", "1.0.post5"},
    {"1.0-rev5", "1.0.post5"},
    {"1.0+AbC", "1.0+abc"},
    {"1.01", "1.1"},
    {"1.0a05", "1.0a5"},
    {"1.0b07", "1.0b7"},
    {"1.0c056", "1.0rc56"},
    {"1.0rc09", "1.0rc9"},
    {"1.0.post000", "1.0.post0"},
    {"1.1.dev09000", "1.1.dev9000"},
    {"00!1.2", "1.2"},
    {"0100!0.0", "100!0.0"},
    {"v1.0", "1.0"},
    {"   v1.0\t\n", "1.0"},
    {"1.0.dev456", "1.0.dev456"},
    {"1.0a1", "1.0a1"},
    {"1.0a2.dev456", "1.0a2.dev456"},
    {"1.0a12.dev456", "1.0a12.dev456"},
    {"1.0a12", "1.0a12"},
    {"1.0b1.dev456", "1.0b1.dev456"},
    {"1.0b2", "1.0b2"},
    {"1.0b2.post345.dev456", "1.0b2.post345.dev456"},
    {"1.0b2.post345", "1.0b2.post345"},
    {"1.0rc1.dev456", "1.0rc1.dev456"},
    {"1.0rc1", "1.0rc1"},
    {"1.0", "1.0"},
    {"1.0.post456.dev34", "1.0.post456.dev34"},
    {"1.0.post456", "1.0.post456"},
    {"1.0.1", "1.0.1"},
    {"0!1.0.2", "1.0.2"},
    {"1.0.3+7", "1.0.3+7"},
    {"0!1.0.4+8.0", "1.0.4+8.0"},
    {"1.0.5+9.5", "1.0.5+9.5"},
    {"1.2+1234.abc", "1.2+1234.abc"},
    {"1.2+123456", "1.2+123456"},
    {"1.2+123abc", "1.2+123abc"},
    {"1.2+123abc456", "1.2+123abc456"},
    {"1.2+abc", "1.2+abc"},
    {"1.2+abc123", "1.2+abc123"},
    {"1.2+abc123def", "1.2+abc123def"},
    {"1.1.dev1", "1.1.dev1"},
    {"7!1.0.dev456", "7!1.0.dev456"},
    {"7!1.0a1", "7!1.0a1"},
    {"7!1.0a2.dev456", "7!1.0a2.dev456"},
    {"7!1.0a12.dev456", "7!1.0a12.dev456"},
    {"7!1.0a12", "7!1.0a12"},
    {"7!1.0b1.dev456", "7!1.0b1.dev456"},
    {"7!1.0b2", "7!1.0b2"},
    {"7!1.0b2.post345.dev456", "7!1.0b2.post345.dev456"},
    {"7!1.0b2.post345", "7!1.0b2.post345"},
    {"7!1.0rc1.dev456", "7!1.0rc1.dev456"},
    {"7!1.0rc1", "7!1.0rc1"},
    {"7!1.0", "7!1.0"},
    {"7!1.0.post456.dev34", "7!1.0.post456.dev34"},
    {"7!1.0.post456", "7!1.0.post456"},
    {"7!1.0.1", "7!1.0.1"},
    {"7!1.0.2", "7!1.0.2"},
    {"7!1.0.3+7", "7!1.0.3+7"},
    {"7!1.0.4+8.0", "7!1.0.4+8.0"},
    {"7!1.0.5+9.5", "7!1.0.5+9.5"},
    {"7!1.1.dev1", "7!1.1.dev1"},
    {"1.0a-", "1.0a0"},
    {"1.0a--1", "1.0a0.post1"},
    {"1.0.post-1", "1.0.post1"},
    {"1.0_dev_3", "1.0.dev3"},
    {"1.0-r", "1.0.post0"},
    {"V1.0", "1.0"},
    {"v1!2", "1!2"},
    {"1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"},
    {"1.0+007", "1.0+7"},
    {"1.0a1-1", "1.0a1.post1"},
    {"1.0preview2", "1.0rc2"},
    {"1.0pre", "1.0rc0"},
    {"18446744073709551615", "18446744073709551615"},
};

class VersionNormalisationTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(VersionNormalisationTest, PrintsTheCanonicalForm)
{
    const auto& c = GetParam();
    auto parsed = Version::parse(c.input);
    ASSERT_TRUE(parsed) << c.input;
    EXPECT_EQ(parsed->to_string(), c.expected) << c.input;
    auto again = Version::parse(parsed->to_string());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->to_string(), c.expected) << "canonical text must parse back to itself";
    EXPECT_EQ(*again, *parsed);
}

INSTANTIATE_TEST_SUITE_P(Packaging, VersionNormalisationTest, ::testing::ValuesIn(k_normalised));

const std::vector<TextCase> k_public = {
    {"1.0", "1.0"},
    {"1.0.dev0", "1.0.dev0"},
    {"1.0.dev6", "1.0.dev6"},
    {"1.0a1", "1.0a1"},
    {"1.0a1.post5", "1.0a1.post5"},
    {"1.0a1.post5.dev6", "1.0a1.post5.dev6"},
    {"1.0rc4", "1.0rc4"},
    {"1.0.post5", "1.0.post5"},
    {"1!1.0", "1!1.0"},
    {"1!1.0.dev6", "1!1.0.dev6"},
    {"1!1.0a1", "1!1.0a1"},
    {"1!1.0a1.post5", "1!1.0a1.post5"},
    {"1!1.0a1.post5.dev6", "1!1.0a1.post5.dev6"},
    {"1!1.0rc4", "1!1.0rc4"},
    {"1!1.0.post5", "1!1.0.post5"},
    {"1.0+deadbeef", "1.0"},
    {"1.0.dev6+deadbeef", "1.0.dev6"},
    {"1.0a1+deadbeef", "1.0a1"},
    {"1.0a1.post5+deadbeef", "1.0a1.post5"},
    {"1.0a1.post5.dev6+deadbeef", "1.0a1.post5.dev6"},
    {"1.0rc4+deadbeef", "1.0rc4"},
    {"1.0.post5+deadbeef", "1.0.post5"},
    {"1!1.0+deadbeef", "1!1.0"},
    {"1!1.0.dev6+deadbeef", "1!1.0.dev6"},
    {"1!1.0a1+deadbeef", "1!1.0a1"},
    {"1!1.0a1.post5+deadbeef", "1!1.0a1.post5"},
    {"1!1.0a1.post5.dev6+deadbeef", "1!1.0a1.post5.dev6"},
    {"1!1.0rc4+deadbeef", "1!1.0rc4"},
    {"1!1.0.post5+deadbeef", "1!1.0.post5"},
};

class VersionPublicTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(VersionPublicTest, DropsOnlyTheLocalLabel)
{
    EXPECT_EQ(v(GetParam().input).public_version().to_string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Packaging, VersionPublicTest, ::testing::ValuesIn(k_public));

const std::vector<TextCase> k_base = {
    {"1.0", "1.0"},
    {"1.0.dev0", "1.0"},
    {"1.0.dev6", "1.0"},
    {"1.0a1", "1.0"},
    {"1.0a1.post5", "1.0"},
    {"1.0a1.post5.dev6", "1.0"},
    {"1.0rc4", "1.0"},
    {"1.0.post5", "1.0"},
    {"1!1.0", "1!1.0"},
    {"1!1.0.dev6", "1!1.0"},
    {"1!1.0a1", "1!1.0"},
    {"1!1.0a1.post5", "1!1.0"},
    {"1!1.0a1.post5.dev6", "1!1.0"},
    {"1!1.0rc4", "1!1.0"},
    {"1!1.0.post5", "1!1.0"},
    {"1.0+deadbeef", "1.0"},
    {"1.0.dev6+deadbeef", "1.0"},
    {"1.0a1+deadbeef", "1.0"},
    {"1.0a1.post5+deadbeef", "1.0"},
    {"1.0a1.post5.dev6+deadbeef", "1.0"},
    {"1.0rc4+deadbeef", "1.0"},
    {"1.0.post5+deadbeef", "1.0"},
    {"1!1.0+deadbeef", "1!1.0"},
    {"1!1.0.dev6+deadbeef", "1!1.0"},
    {"1!1.0a1+deadbeef", "1!1.0"},
    {"1!1.0a1.post5+deadbeef", "1!1.0"},
    {"1!1.0a1.post5.dev6+deadbeef", "1!1.0"},
    {"1!1.0rc4+deadbeef", "1!1.0"},
    {"1!1.0.post5+deadbeef", "1!1.0"},
};

class VersionBaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(VersionBaseTest, KeepsEpochAndReleaseOnly)
{
    EXPECT_EQ(v(GetParam().input).base_version().to_string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Packaging, VersionBaseTest, ::testing::ValuesIn(k_base));

}  // namespace
}  // namespace gapbundle::sources::pypi
