#include <gapbundle/sources/pypi/tags.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

using Strings = std::vector<std::string>;

Target target(std::string python, Strings platforms)
{
    return Target{.python = std::move(python), .implementation = "cp", .platforms = std::move(platforms)};
}

Strings as_strings(const std::vector<Tag>& tags)
{
    Strings out;
    for (const auto& tag : tags) out.push_back(tag.to_string());
    return out;
}

std::ptrdiff_t position(const Strings& tags, const std::string& tag)
{
    const auto found = std::ranges::find(tags, tag);
    return found == tags.end() ? -1 : found - tags.begin();
}

// The glibc 2.28 x86_64 platforms, as packaging's _manylinux.platform_tags lists them for that glibc.
const Strings k_glibc_2_28_x86_64 = {
    "manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_26_x86_64", "manylinux_2_25_x86_64",
    "manylinux_2_24_x86_64", "manylinux_2_23_x86_64", "manylinux_2_22_x86_64", "manylinux_2_21_x86_64",
    "manylinux_2_20_x86_64", "manylinux_2_19_x86_64", "manylinux_2_18_x86_64", "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",  "manylinux_2_16_x86_64", "manylinux_2_15_x86_64", "manylinux_2_14_x86_64",
    "manylinux_2_13_x86_64", "manylinux_2_12_x86_64", "manylinux2010_x86_64",  "manylinux_2_11_x86_64",
    "manylinux_2_10_x86_64", "manylinux_2_9_x86_64",  "manylinux_2_8_x86_64",  "manylinux_2_7_x86_64",
    "manylinux_2_6_x86_64",  "manylinux_2_5_x86_64",  "manylinux1_x86_64"};

TEST(TagsTest, ExpandsGlibc228ToEveryOlderManylinuxWithAliases)
{
    EXPECT_EQ(compatible_platforms("manylinux_2_28_x86_64"), k_glibc_2_28_x86_64);
}

TEST(TagsTest, ExpandsNonX86ManylinuxDownTo217Only)
{
    EXPECT_EQ(
        compatible_platforms("manylinux_2_31_aarch64"),
        (Strings{"manylinux_2_31_aarch64", "manylinux_2_30_aarch64", "manylinux_2_29_aarch64", "manylinux_2_28_aarch64",
                 "manylinux_2_27_aarch64", "manylinux_2_26_aarch64", "manylinux_2_25_aarch64", "manylinux_2_24_aarch64",
                 "manylinux_2_23_aarch64", "manylinux_2_22_aarch64", "manylinux_2_21_aarch64", "manylinux_2_20_aarch64",
                 "manylinux_2_19_aarch64", "manylinux_2_18_aarch64", "manylinux_2_17_aarch64",
                 "manylinux2014_aarch64"}));
    EXPECT_EQ(compatible_platforms("manylinux_2_17_ppc64le"),
              (Strings{"manylinux_2_17_ppc64le", "manylinux2014_ppc64le"}));
    // Older than any manylinux for that architecture: the tag stands for itself.
    EXPECT_EQ(compatible_platforms("manylinux_2_12_aarch64"), (Strings{"manylinux_2_12_aarch64"}));
}

TEST(TagsTest, ExpandsLegacyManylinuxNamesAsTheirGlibc)
{
    EXPECT_EQ(compatible_platforms("manylinux1_i686"), (Strings{"manylinux_2_5_i686", "manylinux1_i686"}));
    EXPECT_EQ(compatible_platforms("manylinux2010_x86_64"),
              (Strings{"manylinux_2_12_x86_64", "manylinux2010_x86_64", "manylinux_2_11_x86_64",
                       "manylinux_2_10_x86_64", "manylinux_2_9_x86_64", "manylinux_2_8_x86_64", "manylinux_2_7_x86_64",
                       "manylinux_2_6_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"}));
    const auto from_2014 = compatible_platforms("manylinux2014_x86_64");
    ASSERT_EQ(from_2014.size(), 16u);  // 2_17 ... 2_5 and three aliases
    EXPECT_EQ(from_2014[0], "manylinux_2_17_x86_64");
    EXPECT_EQ(from_2014[1], "manylinux2014_x86_64");
    EXPECT_EQ(compatible_platforms("manylinux2014_s390x"), (Strings{"manylinux_2_17_s390x", "manylinux2014_s390x"}));
}

TEST(TagsTest, ExpandsMusllinuxDownToOneZero)
{
    EXPECT_EQ(compatible_platforms("musllinux_1_2_aarch64"),
              (Strings{"musllinux_1_2_aarch64", "musllinux_1_1_aarch64", "musllinux_1_0_aarch64"}));
    EXPECT_EQ(compatible_platforms("musllinux_1_1_x86_64"), (Strings{"musllinux_1_1_x86_64", "musllinux_1_0_x86_64"}));
    EXPECT_EQ(compatible_platforms("musllinux_1_0_x86_64"), (Strings{"musllinux_1_0_x86_64"}));
}

TEST(TagsTest, KeepsWindowsAndPlainLinuxAsTheyAre)
{
    EXPECT_EQ(compatible_platforms("win_amd64"), (Strings{"win_amd64"}));
    EXPECT_EQ(compatible_platforms("win32"), (Strings{"win32"}));
    EXPECT_EQ(compatible_platforms("win_arm64"), (Strings{"win_arm64"}));
    EXPECT_EQ(compatible_platforms("linux_x86_64"), (Strings{"linux_x86_64"}));
    EXPECT_EQ(compatible_platforms("not a platform"), (Strings{"not a platform"}));
    EXPECT_EQ(compatible_platforms("macosx_4000000000_0_arm64"), (Strings{"macosx_4000000000_0_arm64"}));
}

// The universal2 tags an arm64 Mac takes from 10.x (its x86_64 half's minimum).
Strings universal2_10_16_to_10_4()
{
    Strings out;
    for (int minor = 16; minor >= 4; --minor) out.push_back("macosx_10_" + std::to_string(minor) + "_universal2");
    return out;
}

TEST(TagsTest, ExpandsArm64MacOnlyFrom11)
{
    Strings expected = {"macosx_11_0_arm64", "macosx_11_0_universal2"};
    std::ranges::copy(universal2_10_16_to_10_4(), std::back_inserter(expected));
    EXPECT_EQ(compatible_platforms("macosx_11_0_arm64"), expected);

    Strings sonoma = {"macosx_14_0_arm64", "macosx_14_0_universal2", "macosx_13_0_arm64", "macosx_13_0_universal2",
                      "macosx_12_0_arm64", "macosx_12_0_universal2", "macosx_11_0_arm64", "macosx_11_0_universal2"};
    std::ranges::copy(universal2_10_16_to_10_4(), std::back_inserter(sonoma));
    EXPECT_EQ(compatible_platforms("macosx_14_0_arm64"), sonoma);
    // Since 11 the minor number is a mid-year update; wheels name the release with minor 0.
    EXPECT_EQ(compatible_platforms("macosx_14_2_arm64"), sonoma);
}

// One release of an x86_64 Mac: the fat formats that hold x86_64 (packaging >= 25, "fat3" not "fat32").
Strings x86_64_release(const std::string& version)
{
    Strings out;
    for (const char* format : {"x86_64", "intel", "fat64", "fat3", "universal2", "universal"}) {
        out.push_back("macosx_" + version + "_" + format);
    }
    return out;
}

TEST(TagsTest, ExpandsX86Mac)
{
    Strings catalina;
    for (int minor = 15; minor >= 4; --minor)
        std::ranges::copy(x86_64_release("10_" + std::to_string(minor)), std::back_inserter(catalina));
    EXPECT_EQ(compatible_platforms("macosx_10_15_x86_64"), catalina);
    EXPECT_EQ(catalina.size(), 72u);

    Strings monterey = x86_64_release("12_0");
    std::ranges::copy(x86_64_release("11_0"), std::back_inserter(monterey));
    for (int minor = 16; minor >= 4; --minor)
        std::ranges::copy(x86_64_release("10_" + std::to_string(minor)), std::back_inserter(monterey));
    EXPECT_EQ(compatible_platforms("macosx_12_0_x86_64"), monterey);
    EXPECT_EQ(monterey.size(), 90u);

    // Below 10.4 there is no x86_64 format.
    EXPECT_EQ(compatible_platforms("macosx_10_3_x86_64"), Strings{});
}

TEST(TagsTest, ExpandsOldMacArchitecturesLikePackaging)
{
    EXPECT_EQ(compatible_platforms("macosx_10_5_ppc64"),
              (Strings{"macosx_10_5_ppc64", "macosx_10_5_fat64", "macosx_10_5_universal", "macosx_10_4_ppc64",
                       "macosx_10_4_fat64", "macosx_10_4_universal"}));
    EXPECT_EQ(compatible_platforms("macosx_10_6_i386"),
              (Strings{"macosx_10_6_i386", "macosx_10_6_intel", "macosx_10_6_fat3", "macosx_10_6_fat",
                       "macosx_10_6_universal", "macosx_10_5_i386", "macosx_10_5_intel", "macosx_10_5_fat3",
                       "macosx_10_5_fat", "macosx_10_5_universal", "macosx_10_4_i386", "macosx_10_4_intel",
                       "macosx_10_4_fat3", "macosx_10_4_fat", "macosx_10_4_universal"}));
}

// packaging: cpython_tags((3, 11), ["cp311"], ["win_amd64"]) + compatible_tags((3, 11), "cp311", ["win_amd64"]).
TEST(TagsTest, ListsEveryCp311WindowsTagInPackagingsOrder)
{
    const Strings expected = {
        "cp311-cp311-win_amd64", "cp311-abi3-win_amd64", "cp311-none-win_amd64", "cp310-abi3-win_amd64",
        "cp39-abi3-win_amd64",   "cp38-abi3-win_amd64",  "cp37-abi3-win_amd64",  "cp36-abi3-win_amd64",
        "cp35-abi3-win_amd64",   "cp34-abi3-win_amd64",  "cp33-abi3-win_amd64",  "cp32-abi3-win_amd64",
        "py311-none-win_amd64",  "py3-none-win_amd64",   "py310-none-win_amd64", "py39-none-win_amd64",
        "py38-none-win_amd64",   "py37-none-win_amd64",  "py36-none-win_amd64",  "py35-none-win_amd64",
        "py34-none-win_amd64",   "py33-none-win_amd64",  "py32-none-win_amd64",  "py31-none-win_amd64",
        "py30-none-win_amd64",   "cp311-none-any",       "py311-none-any",       "py3-none-any",
        "py310-none-any",        "py39-none-any",        "py38-none-any",        "py37-none-any",
        "py36-none-any",         "py35-none-any",        "py34-none-any",        "py33-none-any",
        "py32-none-any",         "py31-none-any",        "py30-none-any"};
    EXPECT_EQ(as_strings(supported_tags(target("3.11", {"win_amd64"}))), expected);
}

// Before 3.8 the CPython ABI carries pymalloc's "m".
TEST(TagsTest, ListsEveryCp37TagWithThePymallocAbi)
{
    const Strings expected = {"cp37-cp37m-win32", "cp37-abi3-win32", "cp37-none-win32", "cp36-abi3-win32",
                              "cp35-abi3-win32",  "cp34-abi3-win32", "cp33-abi3-win32", "cp32-abi3-win32",
                              "py37-none-win32",  "py3-none-win32",  "py36-none-win32", "py35-none-win32",
                              "py34-none-win32",  "py33-none-win32", "py32-none-win32", "py31-none-win32",
                              "py30-none-win32",  "cp37-none-any",   "py37-none-any",   "py3-none-any",
                              "py36-none-any",    "py35-none-any",   "py34-none-any",   "py33-none-any",
                              "py32-none-any",    "py31-none-any",   "py30-none-any"};
    EXPECT_EQ(as_strings(supported_tags(target("3.7", {"win32"}))), expected);
}

TEST(TagsTest, ListsCp311ManylinuxTagsInPackagingsOrder)
{
    const auto tags = as_strings(supported_tags(target("3.11", {"manylinux_2_28_x86_64"})));
    // 27 platforms x (3 cp311 + 9 older abi3 + 13 py) + 14 "any" tags.
    ASSERT_EQ(tags.size(), 689u);
    for (std::size_t i = 0; i < k_glibc_2_28_x86_64.size(); ++i) {
        EXPECT_EQ(tags[i], "cp311-cp311-" + k_glibc_2_28_x86_64[i]) << i;
        EXPECT_EQ(tags[27 + i], "cp311-abi3-" + k_glibc_2_28_x86_64[i]) << i;
        EXPECT_EQ(tags[54 + i], "cp311-none-" + k_glibc_2_28_x86_64[i]) << i;
        EXPECT_EQ(tags[81 + i], "cp310-abi3-" + k_glibc_2_28_x86_64[i]) << i;
        EXPECT_EQ(tags[324 + i], "py311-none-" + k_glibc_2_28_x86_64[i]) << i;
        EXPECT_EQ(tags[351 + i], "py3-none-" + k_glibc_2_28_x86_64[i]) << i;
    }
    // Positions checked against packaging 23.2 for the same platform list.
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux_2_17_x86_64"), 11);
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux2014_x86_64"), 12);
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux1_x86_64"), 26);
    EXPECT_EQ(position(tags, "cp39-abi3-manylinux_2_28_x86_64"), 108);
    EXPECT_EQ(position(tags, "cp37-abi3-manylinux_2_28_x86_64"), 162);
    EXPECT_EQ(position(tags, "cp32-abi3-manylinux1_x86_64"), 323);
    EXPECT_EQ(position(tags, "py30-none-manylinux1_x86_64"), 674);
    EXPECT_EQ(position(tags, "cp311-none-any"), 675);
    EXPECT_EQ(position(tags, "py3-none-any"), 677);
    EXPECT_EQ(position(tags, "py30-none-any"), 688);
    // Never the local-build tag, never another glibc, never musl, never an abi3 before 3.2.
    EXPECT_EQ(position(tags, "cp311-cp311-linux_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux_2_29_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux_2_4_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp311-cp311-musllinux_1_1_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp31-abi3-manylinux1_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp312-abi3-manylinux1_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp310-cp310-manylinux1_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux_2_28_aarch64"), -1);
}

TEST(TagsTest, AddsLinuxOnlyWhenTheTargetNamesIt)
{
    const auto tags = as_strings(supported_tags(target("3.11", {"manylinux_2_28_x86_64", "linux_x86_64"})));
    ASSERT_EQ(tags.size(), 28u * 25 + 14);  // the fact sheet's 714
    EXPECT_EQ(position(tags, "cp311-cp311-linux_x86_64"), 27);
    EXPECT_EQ(position(tags, "cp311-abi3-manylinux_2_28_x86_64"), 28);
    EXPECT_EQ(position(tags, "py3-none-linux_x86_64"), 28 * 13 + 27);
    EXPECT_EQ(position(tags, "cp311-none-any"), 700);
    EXPECT_EQ(position(tags, "py30-none-any"), 713);
}

TEST(TagsTest, ListsEachPlatformOnceInTargetOrder)
{
    // A glibc 2.17 platform repeated and a newer one after it: no duplicate, the first mention wins.
    const auto tags = as_strings(supported_tags(target("3.12", {"manylinux_2_17_x86_64", "manylinux_2_28_x86_64"})));
    EXPECT_EQ(tags[0], "cp312-cp312-manylinux_2_17_x86_64");
    EXPECT_EQ(tags[15], "cp312-cp312-manylinux1_x86_64");
    EXPECT_EQ(tags[16], "cp312-cp312-manylinux_2_28_x86_64");
    EXPECT_EQ(tags.size(), 27u * (3 + 10 + 14) + 15);
    Strings sorted = tags;
    std::ranges::sort(sorted);
    EXPECT_EQ(std::ranges::adjacent_find(sorted), sorted.end());
}

TEST(TagsTest, ListsMacArm64Tags)
{
    const auto tags = as_strings(supported_tags(target("3.12", {"macosx_11_0_arm64"})));
    ASSERT_EQ(tags.size(), 15u * (3 + 10 + 14) + 15);
    EXPECT_EQ(tags[0], "cp312-cp312-macosx_11_0_arm64");
    EXPECT_EQ(tags[1], "cp312-cp312-macosx_11_0_universal2");
    EXPECT_EQ(tags[2], "cp312-cp312-macosx_10_16_universal2");
    EXPECT_EQ(tags[14], "cp312-cp312-macosx_10_4_universal2");
    EXPECT_EQ(tags[15], "cp312-abi3-macosx_11_0_arm64");
    EXPECT_EQ(position(tags, "cp312-cp312-macosx_10_9_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp312-cp312-macosx_12_0_arm64"), -1);
}

TEST(TagsTest, ListsMusllinuxTags)
{
    const auto tags = as_strings(supported_tags(target("3.11", {"musllinux_1_2_x86_64"})));
    ASSERT_EQ(tags.size(), 3u * 25 + 14);
    EXPECT_EQ((Strings{tags.begin(), tags.begin() + 4}),
              (Strings{"cp311-cp311-musllinux_1_2_x86_64", "cp311-cp311-musllinux_1_1_x86_64",
                       "cp311-cp311-musllinux_1_0_x86_64", "cp311-abi3-musllinux_1_2_x86_64"}));
    EXPECT_EQ(position(tags, "cp311-cp311-manylinux1_x86_64"), -1);
    EXPECT_EQ(position(tags, "cp311-cp311-linux_x86_64"), -1);
}

TEST(TagsTest, UsesOnlyMajorMinorOfThePython)
{
    EXPECT_EQ(supported_tags(target("3.11.9", {"win_amd64"})), supported_tags(target("3.11", {"win_amd64"})));
    const auto old = as_strings(supported_tags(target("3.1", {"win32"})));
    // No abi3 before 3.2.
    EXPECT_EQ(old, (Strings{"cp31-cp31m-win32", "cp31-none-win32", "py31-none-win32", "py3-none-win32",
                            "py30-none-win32", "cp31-none-any", "py31-none-any", "py3-none-any", "py30-none-any"}));
}

TEST(TagsTest, ListsNothingForAnInvalidTarget)
{
    EXPECT_TRUE(supported_tags(target("3", {"win_amd64"})).empty());
    EXPECT_TRUE(supported_tags(target("3.11", {})).empty());
    EXPECT_TRUE(supported_tags(target("3.11", {"manylinux_2_28_x86_64", "musllinux_1_2_x86_64"})).empty());
}

struct PlatformCase {
    std::string platform;
    std::string why;  // empty when valid
};

std::ostream& operator<<(std::ostream& out, const PlatformCase& c)
{
    return out << c.platform;
}

class PlatformTagTest : public testing::TestWithParam<PlatformCase> {};

TEST_P(PlatformTagTest, ValidatesAsPep600And656)
{
    const auto status = validate_platform_tag(GetParam().platform);
    if (GetParam().why.empty()) {
        EXPECT_TRUE(status) << status.error().message;
        return;
    }
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::manifest);
    EXPECT_EQ(status.error().message, "invalid platform tag '" + GetParam().platform + "': " + GetParam().why);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, PlatformTagTest,
    testing::Values(PlatformCase{"manylinux_2_28_x86_64", ""}, PlatformCase{"manylinux_2_17_aarch64", ""},
                    PlatformCase{"manylinux_2_31_riscv64", ""}, PlatformCase{"manylinux_2_5_i686", ""},
                    PlatformCase{"manylinux_2_39_ppc64le", ""}, PlatformCase{"manylinux_2_17_s390x", ""},
                    PlatformCase{"manylinux_2_35_armv7l", ""}, PlatformCase{"manylinux1_x86_64", ""},
                    PlatformCase{"manylinux1_i686", ""}, PlatformCase{"manylinux2010_x86_64", ""},
                    PlatformCase{"manylinux2014_aarch64", ""}, PlatformCase{"manylinux2014_ppc64", ""},
                    PlatformCase{"musllinux_1_2_x86_64", ""}, PlatformCase{"musllinux_1_1_aarch64", ""},
                    PlatformCase{"musllinux_1_0_armv7l", ""}, PlatformCase{"macosx_11_0_arm64", ""},
                    PlatformCase{"macosx_14_0_x86_64", ""}, PlatformCase{"macosx_10_9_x86_64", ""},
                    PlatformCase{"macosx_10_5_ppc64", ""}, PlatformCase{"macosx_10_6_i386", ""},
                    PlatformCase{"win_amd64", ""}, PlatformCase{"win32", ""}, PlatformCase{"win_arm64", ""},
                    PlatformCase{"linux_x86_64", ""}, PlatformCase{"linux_armv7l", ""}));

const std::string k_forms =
    "expected manylinux_2_N_ARCH, musllinux_1_N_ARCH, macosx_N_N_ARCH, win_amd64, win32, win_arm64 or linux_ARCH";

INSTANTIATE_TEST_SUITE_P(
    Invalid, PlatformTagTest,
    testing::Values(PlatformCase{"any", k_forms}, PlatformCase{"", k_forms}, PlatformCase{"win_x86", k_forms},
                    PlatformCase{"linux_", k_forms}, PlatformCase{"linux_X86_64", k_forms},
                    PlatformCase{"freebsd_13_2_release_amd64", k_forms}, PlatformCase{"Manylinux_2_28_x86_64", k_forms},
                    PlatformCase{"manylinux", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_2_28", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_2_28_", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_2_x_x86_64", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_2.28_x86_64", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_2_28_x86-64", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_-2_28_x86_64", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux_3_1_x86_64", "the glibc major version is 2"},
                    PlatformCase{"manylinux2014", "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"manylinux1_aarch64", "manylinux1 has no architecture 'aarch64'"},
                    PlatformCase{"manylinux2010_armv7l", "manylinux2010 has no architecture 'armv7l'"},
                    PlatformCase{"manylinux2014_riscv64", "manylinux2014 has no architecture 'riscv64'"},
                    PlatformCase{"musllinux_1_2", "expected musllinux_1_MINOR_ARCH (PEP 656)"},
                    PlatformCase{"musllinux_1_x_aarch64", "expected musllinux_1_MINOR_ARCH (PEP 656)"},
                    PlatformCase{"musllinux_2_0_x86_64", "the musl major version is 1"},
                    PlatformCase{"macosx_11_arm64", "expected macosx_MAJOR_MINOR_ARCH"},
                    PlatformCase{"macosx_11_0_universal2", "the macOS architecture is x86_64 or arm64"},
                    PlatformCase{"macosx_11_0_aarch64", "the macOS architecture is x86_64 or arm64"},
                    PlatformCase{"macosx_9_0_x86_64", "macOS versions start at 10"},
                    PlatformCase{"macosx_10_15_arm64", "arm64 macOS starts at 11.0"},
                    PlatformCase{"macosx_11_0_i386", "i386 macOS ends with 10.x"},
                    PlatformCase{"manylinux_2_4000000000_x86_64", "version numbers stop at 99"},
                    PlatformCase{"manylinux_2_99999999999999999999_x86_64",
                                 "expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    PlatformCase{"musllinux_1_100_x86_64", "version numbers stop at 99"},
                    PlatformCase{"macosx_100_0_arm64", "version numbers stop at 99"}));

struct TargetCase {
    Target target;
    std::string message;
};

std::ostream& operator<<(std::ostream& out, const TargetCase& c)
{
    return out << c.target.python << "/" << c.target.implementation;
}

class InvalidTargetTest : public testing::TestWithParam<TargetCase> {};

TEST_P(InvalidTargetTest, FailsWithAManifestError)
{
    const auto status = validate_target(GetParam().target);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::manifest);
    EXPECT_EQ(status.error().message, GetParam().message);
}

const std::string k_bad_python = "': expected 3.MINOR, e.g. 3.11";

INSTANTIATE_TEST_SUITE_P(
    Targets, InvalidTargetTest,
    testing::Values(TargetCase{target("3", {"win_amd64"}), "invalid target python '3" + k_bad_python},
                    TargetCase{target("", {"win_amd64"}), "invalid target python '" + k_bad_python},
                    TargetCase{target("2.7", {"win_amd64"}), "invalid target python '2.7" + k_bad_python},
                    TargetCase{target("3.11.", {"win_amd64"}), "invalid target python '3.11." + k_bad_python},
                    TargetCase{target("3.x", {"win_amd64"}), "invalid target python '3.x" + k_bad_python},
                    TargetCase{target("3.13t", {"win_amd64"}), "invalid target python '3.13t" + k_bad_python},
                    TargetCase{target("3.11.2.1", {"win_amd64"}), "invalid target python '3.11.2.1" + k_bad_python},
                    TargetCase{target(" 3.11", {"win_amd64"}), "invalid target python ' 3.11" + k_bad_python},
                    TargetCase{Target{.python = "3.10", .implementation = "pp", .platforms = {"win_amd64"}},
                               "unsupported target implementation 'pp': only cp (CPython) is supported"},
                    TargetCase{target("3.11", {}), "the target names no platform"},
                    TargetCase{
                        target("3.11", {"win_amd64", "manylinux_2_28_x86-64"}),
                        "invalid platform tag 'manylinux_2_28_x86-64': expected manylinux_2_MINOR_ARCH (PEP 600)"},
                    TargetCase{target("3.11", {"manylinux_2_28_x86_64", "musllinux_1_2_x86_64"}),
                               "a target is glibc (manylinux) or musl (musllinux), not both"}));

TEST(TagsTest, AcceptsValidTargets)
{
    for (const auto& valid : {target("3.11", {"manylinux_2_28_x86_64"}), target("3.8.10", {"win_amd64", "win32"}),
                              target("3.13", {"macosx_11_0_arm64", "macosx_10_9_x86_64"}),
                              target("3.12", {"musllinux_1_2_aarch64", "linux_aarch64"})}) {
        const auto status = validate_target(valid);
        EXPECT_TRUE(status) << valid.python << ": " << status.error().message;
    }
}

// Ranking ---------------------------------------------------------------------------------------

WheelName wheel(const std::string& filename)
{
    auto parsed = parse_wheel_name(filename);
    EXPECT_TRUE(parsed) << filename;
    return parsed.value_or(WheelName{});
}

// The wheel a target takes from a release's files: best rank, first listed on a tie; "" when none fits.
std::string pick(const Target& t, const Strings& filenames)
{
    const auto supported = supported_tags(t);
    const TagRanks ranks(supported);
    std::string best;
    std::optional<std::size_t> best_so_far;
    for (const auto& filename : filenames) {
        const auto parsed = wheel(filename);
        const auto rank_here = ranks.best_rank(parsed);
        EXPECT_EQ(rank_here, best_rank(parsed, supported)) << filename;
        if (rank_here && (!best_so_far || *rank_here < *best_so_far)) {
            best_so_far = rank_here;
            best = filename;
        }
    }
    return best;
}

const Strings k_numpy_2_0_0 = {"numpy-2.0.0-cp310-cp310-macosx_10_9_x86_64.whl",
                               "numpy-2.0.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "numpy-2.0.0-cp311-cp311-macosx_10_9_x86_64.whl",
                               "numpy-2.0.0-cp311-cp311-macosx_11_0_arm64.whl",
                               "numpy-2.0.0-cp311-cp311-macosx_14_0_arm64.whl",
                               "numpy-2.0.0-cp311-cp311-macosx_14_0_x86_64.whl",
                               "numpy-2.0.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
                               "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "numpy-2.0.0-cp311-cp311-musllinux_1_1_x86_64.whl",
                               "numpy-2.0.0-cp311-cp311-win32.whl",
                               "numpy-2.0.0-cp311-cp311-win_amd64.whl",
                               "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "numpy-2.0.0-pp39-pypy39_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"};

const Strings k_torch_2_3_0 = {"torch-2.3.0-cp311-cp311-manylinux1_x86_64.whl",
                               "torch-2.3.0-cp311-cp311-manylinux2014_aarch64.whl",
                               "torch-2.3.0-cp311-cp311-win_amd64.whl", "torch-2.3.0-cp311-none-macosx_11_0_arm64.whl",
                               "torch-2.3.0-cp312-cp312-manylinux1_x86_64.whl"};

const Strings k_cryptography_42_0_8 = {"cryptography-42.0.8-cp37-abi3-macosx_10_12_universal2.whl",
                                       "cryptography-42.0.8-cp37-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                                       "cryptography-42.0.8-cp37-abi3-manylinux_2_28_x86_64.whl",
                                       "cryptography-42.0.8-cp37-abi3-musllinux_1_2_x86_64.whl",
                                       "cryptography-42.0.8-cp37-abi3-win_amd64.whl",
                                       "cryptography-42.0.8-cp39-abi3-macosx_10_12_universal2.whl",
                                       "cryptography-42.0.8-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                                       "cryptography-42.0.8-cp39-abi3-manylinux_2_28_x86_64.whl",
                                       "cryptography-42.0.8-cp39-abi3-musllinux_1_1_x86_64.whl",
                                       "cryptography-42.0.8-cp39-abi3-win_amd64.whl",
                                       "cryptography-42.0.8-pp310-pypy310_pp73-manylinux_2_28_x86_64.whl"};

const Strings k_pydantic_core_2_20_1 = {
    "pydantic_core-2.20.1-cp311-cp311-macosx_10_12_x86_64.whl",
    "pydantic_core-2.20.1-cp311-cp311-macosx_11_0_arm64.whl",
    "pydantic_core-2.20.1-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
    "pydantic_core-2.20.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "pydantic_core-2.20.1-cp311-cp311-manylinux_2_5_i686.manylinux1_i686.whl",
    "pydantic_core-2.20.1-cp311-cp311-musllinux_1_1_aarch64.whl",
    "pydantic_core-2.20.1-cp311-cp311-musllinux_1_1_x86_64.whl",
    "pydantic_core-2.20.1-cp311-none-win32.whl",
    "pydantic_core-2.20.1-cp311-none-win_amd64.whl",
    "pydantic_core-2.20.1-pp310-pypy310_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"};

const Strings k_cffi_1_16_0 = {"cffi-1.16.0-cp311-cp311-macosx_10_9_x86_64.whl",
                               "cffi-1.16.0-cp311-cp311-macosx_11_0_arm64.whl",
                               "cffi-1.16.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
                               "cffi-1.16.0-cp311-cp311-manylinux_2_17_i686.manylinux2014_i686.whl",
                               "cffi-1.16.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "cffi-1.16.0-cp311-cp311-musllinux_1_1_x86_64.whl",
                               "cffi-1.16.0-cp311-cp311-win32.whl",
                               "cffi-1.16.0-cp311-cp311-win_amd64.whl",
                               "cffi-1.16.0-cp37-cp37m-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "cffi-1.16.0-cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"};

struct PickCase {
    std::string label;
    Target target;
    Strings files;
    std::string expected;  // "" when no wheel fits
};

std::ostream& operator<<(std::ostream& out, const PickCase& c)
{
    return out << c.label;
}

class BestRankTest : public testing::TestWithParam<PickCase> {};

TEST_P(BestRankTest, PicksTheWheelTheTargetPrefers)
{
    EXPECT_EQ(pick(GetParam().target, GetParam().files), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    RealReleases, BestRankTest,
    testing::Values(
        PickCase{"numpy_glibc228", target("3.11", {"manylinux_2_28_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"numpy_glibc217_via_alias", target("3.11", {"manylinux2014_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"numpy_glibc212_too_old", target("3.11", {"manylinux_2_12_x86_64"}), k_numpy_2_0_0, ""},
        PickCase{"numpy_aarch64", target("3.11", {"manylinux_2_28_aarch64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl"},
        PickCase{"numpy_mac11_arm", target("3.11", {"macosx_11_0_arm64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-macosx_11_0_arm64.whl"},
        PickCase{"numpy_mac14_arm_prefers_newest", target("3.11", {"macosx_14_0_arm64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-macosx_14_0_arm64.whl"},
        PickCase{"numpy_mac13_x86", target("3.11", {"macosx_13_0_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-macosx_10_9_x86_64.whl"},
        PickCase{"numpy_mac14_x86", target("3.11", {"macosx_14_0_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-macosx_14_0_x86_64.whl"},
        PickCase{"numpy_musl", target("3.11", {"musllinux_1_2_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp311-cp311-musllinux_1_1_x86_64.whl"},
        PickCase{"numpy_musl_aarch64_none", target("3.11", {"musllinux_1_2_aarch64"}), k_numpy_2_0_0, ""},
        PickCase{"numpy_win64", target("3.11", {"win_amd64"}), k_numpy_2_0_0, "numpy-2.0.0-cp311-cp311-win_amd64.whl"},
        PickCase{"numpy_win32", target("3.11", {"win32"}), k_numpy_2_0_0, "numpy-2.0.0-cp311-cp311-win32.whl"},
        PickCase{"numpy_py310", target("3.10", {"manylinux_2_28_x86_64"}), k_numpy_2_0_0,
                 "numpy-2.0.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"numpy_py313_none", target("3.13", {"manylinux_2_28_x86_64"}), k_numpy_2_0_0, ""},
        PickCase{"numpy_win_arm_none", target("3.11", {"win_arm64"}), k_numpy_2_0_0, ""},
        PickCase{"torch_manylinux1_on_glibc228", target("3.11", {"manylinux_2_28_x86_64"}), k_torch_2_3_0,
                 "torch-2.3.0-cp311-cp311-manylinux1_x86_64.whl"},
        PickCase{"torch_aarch64", target("3.11", {"manylinux_2_28_aarch64"}), k_torch_2_3_0,
                 "torch-2.3.0-cp311-cp311-manylinux2014_aarch64.whl"},
        PickCase{"torch_mac_none_abi", target("3.11", {"macosx_12_0_arm64"}), k_torch_2_3_0,
                 "torch-2.3.0-cp311-none-macosx_11_0_arm64.whl"},
        PickCase{"torch_glibc216_aarch64_none", target("3.11", {"manylinux_2_16_aarch64"}), k_torch_2_3_0, ""},
        PickCase{"cryptography_newest_abi3", target("3.11", {"manylinux_2_28_x86_64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp39-abi3-manylinux_2_28_x86_64.whl"},
        PickCase{"cryptography_glibc217", target("3.11", {"manylinux_2_17_x86_64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"cryptography_py38_takes_cp37_abi3", target("3.8", {"manylinux_2_28_x86_64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp37-abi3-manylinux_2_28_x86_64.whl"},
        PickCase{"cryptography_py36_none", target("3.6", {"manylinux_2_28_x86_64"}), k_cryptography_42_0_8, ""},
        PickCase{"cryptography_mac_arm_universal2", target("3.12", {"macosx_11_0_arm64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp39-abi3-macosx_10_12_universal2.whl"},
        PickCase{"cryptography_musl12", target("3.11", {"musllinux_1_2_x86_64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp39-abi3-musllinux_1_1_x86_64.whl"},
        PickCase{"cryptography_musl11", target("3.11", {"musllinux_1_1_x86_64"}), k_cryptography_42_0_8,
                 "cryptography-42.0.8-cp39-abi3-musllinux_1_1_x86_64.whl"},
        PickCase{"pydantic_core_glibc", target("3.11", {"manylinux_2_28_x86_64"}), k_pydantic_core_2_20_1,
                 "pydantic_core-2.20.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"pydantic_core_i686", target("3.11", {"manylinux_2_17_i686"}), k_pydantic_core_2_20_1,
                 "pydantic_core-2.20.1-cp311-cp311-manylinux_2_5_i686.manylinux1_i686.whl"},
        PickCase{"pydantic_core_win_none_abi", target("3.11", {"win_amd64"}), k_pydantic_core_2_20_1,
                 "pydantic_core-2.20.1-cp311-none-win_amd64.whl"},
        PickCase{"pydantic_core_musl_aarch64", target("3.11", {"musllinux_1_2_aarch64"}), k_pydantic_core_2_20_1,
                 "pydantic_core-2.20.1-cp311-cp311-musllinux_1_1_aarch64.whl"},
        PickCase{"pydantic_core_mac_x86_old", target("3.11", {"macosx_10_13_x86_64"}), k_pydantic_core_2_20_1,
                 "pydantic_core-2.20.1-cp311-cp311-macosx_10_12_x86_64.whl"},
        PickCase{"pydantic_core_mac_x86_too_old", target("3.11", {"macosx_10_11_x86_64"}), k_pydantic_core_2_20_1, ""},
        PickCase{"cffi_glibc", target("3.11", {"manylinux_2_28_x86_64"}), k_cffi_1_16_0,
                 "cffi-1.16.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"cffi_py37_pymalloc", target("3.7", {"manylinux_2_28_x86_64"}), k_cffi_1_16_0,
                 "cffi-1.16.0-cp37-cp37m-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"cffi_py39_none", target("3.9", {"manylinux_2_28_x86_64"}), k_cffi_1_16_0, ""},
        PickCase{"cffi_second_platform", target("3.11", {"win_arm64", "win_amd64"}), k_cffi_1_16_0,
                 "cffi-1.16.0-cp311-cp311-win_amd64.whl"},
        PickCase{"pure_beats_nothing", target("3.11", {"musllinux_1_2_aarch64"}),
                 Strings{"cffi-1.16.0-cp311-cp311-musllinux_1_1_x86_64.whl", "six-1.16.0-py2.py3-none-any.whl"},
                 "six-1.16.0-py2.py3-none-any.whl"},
        PickCase{"binary_beats_pure", target("3.11", {"manylinux_2_28_x86_64"}),
                 Strings{"pyyaml-6.0.1-py3-none-any.whl", "PyYAML-6.0.1-cp311-cp311-manylinux_2_17_x86_64.whl"},
                 "PyYAML-6.0.1-cp311-cp311-manylinux_2_17_x86_64.whl"},
        PickCase{"py2_only_never", target("3.11", {"win_amd64"}), Strings{"futures-3.4.0-py2-none-any.whl"}, ""},
        PickCase{"py311_pure_beats_py3", target("3.11", {"win_amd64"}),
                 Strings{"x-1.0-py3-none-any.whl", "x-1.0-py311-none-any.whl"}, "x-1.0-py311-none-any.whl"},
        PickCase{"cp311_any_beats_py311_any", target("3.11", {"win_amd64"}),
                 Strings{"x-1.0-py311-none-any.whl", "x-1.0-cp311-none-any.whl"}, "x-1.0-cp311-none-any.whl"},
        PickCase{"py_platform_beats_any", target("3.11", {"manylinux_2_28_x86_64"}),
                 Strings{"ruff-0.5.0-py3-none-any.whl",
                         "ruff-0.5.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
                 "ruff-0.5.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"},
        PickCase{"newer_python_pure_never", target("3.9", {"win_amd64"}), Strings{"x-1.0-py310-none-any.whl"}, ""},
        PickCase{"linux_tag_only_when_asked", target("3.11", {"manylinux_2_28_x86_64"}),
                 Strings{"local-1.0-cp311-cp311-linux_x86_64.whl"}, ""},
        PickCase{"linux_tag_when_asked", target("3.11", {"manylinux_2_28_x86_64", "linux_x86_64"}),
                 Strings{"local-1.0-cp311-cp311-linux_x86_64.whl"}, "local-1.0-cp311-cp311-linux_x86_64.whl"},
        PickCase{"free_threaded_never", target("3.13", {"manylinux_2_28_x86_64"}),
                 Strings{"x-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl"}, ""}));

TEST(TagsTest, RanksAreTagPositions)
{
    const auto supported = supported_tags(target("3.11", {"manylinux_2_28_x86_64"}));
    const TagRanks ranks(supported);
    for (std::size_t i = 0; i < supported.size(); ++i) {
        EXPECT_EQ(rank(supported[i], supported), i);
        EXPECT_EQ(ranks.rank(supported[i]), i);
    }
    const Tag foreign{.interpreter = "cp311", .abi = "cp311", .platform = "win_amd64"};
    EXPECT_EQ(rank(foreign, supported), std::nullopt);
    EXPECT_EQ(ranks.rank(foreign), std::nullopt);
}

TEST(TagsTest, BestRankIsTheLowestOfACompressedSet)
{
    const auto supported = supported_tags(target("3.11", {"manylinux_2_28_x86_64"}));
    // manylinux2014 alone ranks right after manylinux_2_17; together the better one counts.
    EXPECT_EQ(best_rank(wheel("a-1-cp311-cp311-manylinux2014_x86_64.whl"), supported), 12u);
    EXPECT_EQ(best_rank(wheel("a-1-cp311-cp311-manylinux_2_17_x86_64.whl"), supported), 11u);
    EXPECT_EQ(best_rank(wheel("a-1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"), supported), 11u);
    EXPECT_EQ(best_rank(wheel("six-1.16.0-py2.py3-none-any.whl"), supported), 677u);
    EXPECT_EQ(best_rank(wheel("a-1-cp310.cp311-abi3.cp311-manylinux_2_28_x86_64.whl"), supported), 0u);
    EXPECT_EQ(best_rank(wheel("a-1-py2-none-any.whl"), supported), std::nullopt);
}

TEST(TagsTest, ExpandsCompressedTagSetsInOrder)
{
    EXPECT_EQ(as_strings(wheel_tags(wheel("a-1-py2.py3-none-any.whl"))), (Strings{"py2-none-any", "py3-none-any"}));
    EXPECT_EQ(as_strings(wheel_tags(wheel("a-1-cp38.cp39-abi3.none-win32.win_amd64.whl"))),
              (Strings{"cp38-abi3-win32", "cp38-abi3-win_amd64", "cp38-none-win32", "cp38-none-win_amd64",
                       "cp39-abi3-win32", "cp39-abi3-win_amd64", "cp39-none-win32", "cp39-none-win_amd64"}));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
