#include <gapbundle/sources/pypi/wheel_name.hpp>

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

using Strings = std::vector<std::string>;

struct ValidWheel {
    std::string filename;
    std::string name;
    std::string canonical_name;
    std::string version;
    std::optional<BuildTag> build;
    Strings python_tags;
    Strings abi_tags;
    Strings platform_tags;
};

std::ostream& operator<<(std::ostream& out, const ValidWheel& c)
{
    return out << c.filename;
}

class ValidWheelNameTest : public testing::TestWithParam<ValidWheel> {};

TEST_P(ValidWheelNameTest, SplitsEveryField)
{
    const auto& expected = GetParam();
    auto wheel = parse_wheel_name(expected.filename);
    ASSERT_TRUE(wheel) << wheel.error().message;
    EXPECT_EQ(wheel->filename, expected.filename);
    EXPECT_EQ(wheel->name, expected.name);
    EXPECT_EQ(wheel->canonical_name, expected.canonical_name);
    EXPECT_EQ(wheel->version, expected.version);
    EXPECT_EQ(wheel->build, expected.build);
    EXPECT_EQ(wheel->python_tags, expected.python_tags);
    EXPECT_EQ(wheel->abi_tags, expected.abi_tags);
    EXPECT_EQ(wheel->platform_tags, expected.platform_tags);
}

INSTANTIATE_TEST_SUITE_P(
    RealPypiWheels, ValidWheelNameTest,
    testing::Values(
        ValidWheel{
            "six-1.16.0-py2.py3-none-any.whl", "six", "six", "1.16.0", std::nullopt, {"py2", "py3"}, {"none"}, {"any"}},
        ValidWheel{"idna-3.7-py3-none-any.whl", "idna", "idna", "3.7", std::nullopt, {"py3"}, {"none"}, {"any"}},
        ValidWheel{"numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                   "numpy",
                   "numpy",
                   "2.0.0",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"manylinux_2_17_x86_64", "manylinux2014_x86_64"}},
        ValidWheel{"numpy-1.26.4-cp312-cp312-macosx_11_0_arm64.whl",
                   "numpy",
                   "numpy",
                   "1.26.4",
                   std::nullopt,
                   {"cp312"},
                   {"cp312"},
                   {"macosx_11_0_arm64"}},
        ValidWheel{"numpy-1.26.4-cp39-cp39-win_amd64.whl",
                   "numpy",
                   "numpy",
                   "1.26.4",
                   std::nullopt,
                   {"cp39"},
                   {"cp39"},
                   {"win_amd64"}},
        ValidWheel{"pydantic_core-2.20.1-cp311-cp311-musllinux_1_1_aarch64.whl",
                   "pydantic_core",
                   "pydantic-core",
                   "2.20.1",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"musllinux_1_1_aarch64"}},
        ValidWheel{"cffi-1.16.0-cp37-cp37m-manylinux_2_5_i686.manylinux1_i686.whl",
                   "cffi",
                   "cffi",
                   "1.16.0",
                   std::nullopt,
                   {"cp37"},
                   {"cp37m"},
                   {"manylinux_2_5_i686", "manylinux1_i686"}},
        ValidWheel{"torch-2.3.0+cpu-cp311-cp311-linux_x86_64.whl",
                   "torch",
                   "torch",
                   "2.3.0+cpu",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"linux_x86_64"}},
        ValidWheel{"cryptography-42.0.8-cp39-abi3-manylinux_2_28_x86_64.whl",
                   "cryptography",
                   "cryptography",
                   "42.0.8",
                   std::nullopt,
                   {"cp39"},
                   {"abi3"},
                   {"manylinux_2_28_x86_64"}},
        ValidWheel{"charset_normalizer-3.3.2-cp311-cp311-macosx_10_9_universal2.whl",
                   "charset_normalizer",
                   "charset-normalizer",
                   "3.3.2",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"macosx_10_9_universal2"}},
        ValidWheel{"zope.interface-6.4-cp311-cp311-manylinux_2_5_x86_64.whl",
                   "zope.interface",
                   "zope-interface",
                   "6.4",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"manylinux_2_5_x86_64"}},
        ValidWheel{"PyYAML-6.0.1-cp311-cp311-manylinux_2_17_aarch64.whl",
                   "PyYAML",
                   "pyyaml",
                   "6.0.1",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"manylinux_2_17_aarch64"}},
        ValidWheel{"SQLAlchemy-2.0.31-py3-none-any.whl",
                   "SQLAlchemy",
                   "sqlalchemy",
                   "2.0.31",
                   std::nullopt,
                   {"py3"},
                   {"none"},
                   {"any"}},
        ValidWheel{"pywin32-306-cp311-cp311-win_arm64.whl",
                   "pywin32",
                   "pywin32",
                   "306",
                   std::nullopt,
                   {"cp311"},
                   {"cp311"},
                   {"win_arm64"}},
        ValidWheel{"pypy_pkg-1.0-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl",
                   "pypy_pkg",
                   "pypy-pkg",
                   "1.0",
                   std::nullopt,
                   {"pp310"},
                   {"pypy310_pp73"},
                   {"manylinux_2_17_x86_64"}},
        ValidWheel{"free-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl",
                   "free",
                   "free",
                   "1.0",
                   std::nullopt,
                   {"cp313"},
                   {"cp313t"},
                   {"manylinux_2_17_x86_64"}},
        ValidWheel{"pkg-1!2.0rc1.post3.dev4-py3-none-any.whl",
                   "pkg",
                   "pkg",
                   "1!2.0rc1.post3.dev4",
                   std::nullopt,
                   {"py3"},
                   {"none"},
                   {"any"}},
        ValidWheel{"pkg-v1.0-py3-none-any.whl", "pkg", "pkg", "v1.0", std::nullopt, {"py3"}, {"none"}, {"any"}},
        ValidWheel{"pkg-1.0+local_tag.7-py3-none-any.whl",
                   "pkg",
                   "pkg",
                   "1.0+local_tag.7",
                   std::nullopt,
                   {"py3"},
                   {"none"},
                   {"any"}},
        ValidWheel{"a-1-py3-none-any.whl", "a", "a", "1", std::nullopt, {"py3"}, {"none"}, {"any"}},
        ValidWheel{
            "Foo_.Bar-1.0-py3-none-any.whl", "Foo_.Bar", "foo-bar", "1.0", std::nullopt, {"py3"}, {"none"}, {"any"}},
        ValidWheel{
            "foo-1.0-py3-abi3.none-any.whl", "foo", "foo", "1.0", std::nullopt, {"py3"}, {"abi3", "none"}, {"any"}},
        ValidWheel{"foo-1.0-cp38.cp39.cp310-abi3-macosx_10_9_x86_64.macosx_11_0_arm64.whl",
                   "foo",
                   "foo",
                   "1.0",
                   std::nullopt,
                   {"cp38", "cp39", "cp310"},
                   {"abi3"},
                   {"macosx_10_9_x86_64", "macosx_11_0_arm64"}}));

INSTANTIATE_TEST_SUITE_P(
    BuildTags, ValidWheelNameTest,
    testing::Values(
        ValidWheel{"foo-1.0-1-py3-none-any.whl", "foo", "foo", "1.0", BuildTag{1, ""}, {"py3"}, {"none"}, {"any"}},
        ValidWheel{
            "foo-1.0-123abc-py3-none-any.whl", "foo", "foo", "1.0", BuildTag{123, "abc"}, {"py3"}, {"none"}, {"any"}},
        ValidWheel{
            "foo-1.0-0_rc.1-py3-none-any.whl", "foo", "foo", "1.0", BuildTag{0, "_rc.1"}, {"py3"}, {"none"}, {"any"}},
        ValidWheel{"foo-1.0-007-py3-none-any.whl", "foo", "foo", "1.0", BuildTag{7, ""}, {"py3"}, {"none"}, {"any"}},
        ValidWheel{"tensorflow_cpu-2.16.1-20240310-cp311-cp311-manylinux_2_17_x86_64.whl",
                   "tensorflow_cpu",
                   "tensorflow-cpu",
                   "2.16.1",
                   BuildTag{20240310, ""},
                   {"cp311"},
                   {"cp311"},
                   {"manylinux_2_17_x86_64"}}));

TEST(WheelNameTest, BuildTagsSortByNumberThenSuffix)
{
    EXPECT_LT((BuildTag{1, "z"}), (BuildTag{2, "a"}));
    EXPECT_LT((BuildTag{2, ""}), (BuildTag{2, "a"}));
    EXPECT_LT((BuildTag{9, ""}), (BuildTag{10, ""}));
    EXPECT_EQ((BuildTag{7, "x"}), (BuildTag{7, "x"}));
}

struct InvalidName {
    std::string filename;
    std::string why;
};

std::ostream& operator<<(std::ostream& out, const InvalidName& c)
{
    return out << c.filename;
}

class InvalidWheelNameTest : public testing::TestWithParam<InvalidName> {};

TEST_P(InvalidWheelNameTest, FailsNamingTheFile)
{
    auto wheel = parse_wheel_name(GetParam().filename);
    ASSERT_FALSE(wheel) << GetParam().filename << " parsed";
    EXPECT_EQ(wheel.error().code, ErrorCode::download);
    EXPECT_EQ(wheel.error().message, "invalid wheel file name '" + GetParam().filename + "': " + GetParam().why);
}

const std::string k_shape = "expected name-version[-build]-python-abi-platform.whl, found ";

INSTANTIATE_TEST_SUITE_P(
    Malformed, InvalidWheelNameTest,
    testing::Values(InvalidName{"foo-1.0-py3-none-any.zip", "the extension must be .whl"},
                    InvalidName{"foo-1.0-py3-none-any.WHL", "the extension must be .whl"},
                    InvalidName{"foo-1.0-py3-none-any", "the extension must be .whl"},
                    InvalidName{"", "the extension must be .whl"}, InvalidName{".whl", k_shape + "1 fields"},
                    InvalidName{"foo-1.0-py3-none.whl", k_shape + "4 fields"},
                    InvalidName{"foo-1.0-py3.whl", k_shape + "3 fields"},
                    InvalidName{"foo-bar-1.0-1-py3-none-any.whl", k_shape + "7 fields"},
                    InvalidName{"foo-1.0-1-2-py3-none-any.whl", k_shape + "7 fields"},
                    InvalidName{"-1.0-py3-none-any.whl", "invalid project name ''"},
                    InvalidName{"foo__bar-1.0-py3-none-any.whl", "invalid project name 'foo__bar'"},
                    InvalidName{"foo bar-1.0-py3-none-any.whl", "invalid project name 'foo bar'"},
                    InvalidName{"foo+bar-1.0-py3-none-any.whl", "invalid project name 'foo+bar'"},
                    InvalidName{"foo-bar-1.0-py3-none-any.whl", "invalid version 'bar'"},
                    InvalidName{"foo--py3-none-any.whl", "invalid version ''"},
                    InvalidName{"foo-1.0 -py3-none-any.whl", "invalid version '1.0 '"},
                    InvalidName{"foo-latest-py3-none-any.whl", "invalid version 'latest'"},
                    InvalidName{"foo-1.0-abc-py3-none-any.whl", "build tag 'abc' must start with a digit"},
                    InvalidName{"foo-1.0--py3-none-any.whl", "build tag '' must start with a digit"},
                    InvalidName{"foo-1.0-99999999999999999999-py3-none-any.whl",
                                "build tag '99999999999999999999' is too large"},
                    InvalidName{"foo-1.0-1a/b-py3-none-any.whl", "build tag '1a/b' has an invalid character"},
                    InvalidName{"foo-1.0-py2..py3-none-any.whl", "invalid python tag ''"},
                    InvalidName{"foo-1.0-.py3-none-any.whl", "invalid python tag ''"},
                    InvalidName{"foo-1.0-3py-none-any.whl", "invalid python tag '3py'"},
                    InvalidName{"foo-1.0--none-any.whl", "invalid python tag ''"},
                    InvalidName{"foo-1.0-py3--any.whl", "invalid abi tag ''"},
                    InvalidName{"foo-1.0-py3-none-.whl", "invalid platform tag ''"},
                    InvalidName{"foo-1.0-py3-none-any..whl", "invalid platform tag ''"},
                    InvalidName{"foo-1.0-py3-none-linux x86.whl", "invalid platform tag 'linux x86'"},
                    InvalidName{"foo-1.0-py3-no/ne-any.whl", "invalid abi tag 'no/ne'"}));

TEST(WheelNameTest, WheelsAreEqualWhenEveryFieldIs)
{
    auto a = parse_wheel_name("six-1.16.0-py2.py3-none-any.whl");
    auto b = parse_wheel_name("six-1.16.0-py2.py3-none-any.whl");
    auto c = parse_wheel_name("six-1.16.0-1-py2.py3-none-any.whl");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_NE(*a, *c);
}

struct NameCase {
    std::string name;
    std::string canonical;
    bool valid;
};

std::ostream& operator<<(std::ostream& out, const NameCase& c)
{
    return out << "'" << c.name << "'";
}

class ProjectNameTest : public testing::TestWithParam<NameCase> {};

TEST_P(ProjectNameTest, CanonicalizesAsPep503)
{
    EXPECT_EQ(canonical_name(GetParam().name), GetParam().canonical);
    EXPECT_EQ(is_valid_project_name(GetParam().name), GetParam().valid);
}

INSTANTIATE_TEST_SUITE_P(Names, ProjectNameTest,
                         testing::Values(NameCase{"requests", "requests", true}, NameCase{"Django", "django", true},
                                         NameCase{"oslo.concurrency", "oslo-concurrency", true},
                                         NameCase{"pydantic_core", "pydantic-core", true},
                                         NameCase{"Foo--Bar__baz..Qux", "foo-bar-baz-qux", true},
                                         NameCase{"a-_.b", "a-b", true}, NameCase{"A", "a", true},
                                         NameCase{"0", "0", true}, NameCase{"zope.interface", "zope-interface", true},
                                         NameCase{"_leading", "-leading", false},
                                         NameCase{"trailing-", "trailing-", false}, NameCase{".dot", "-dot", false},
                                         NameCase{"", "", false}, NameCase{"sp ace", "sp ace", false},
                                         NameCase{"plus+", "plus+", false}));

struct ValidSdist {
    std::string filename;
    std::string name;
    std::string canonical_name;
    std::string version;
    SdistFormat format;
};

std::ostream& operator<<(std::ostream& out, const ValidSdist& c)
{
    return out << c.filename;
}

class ValidSdistNameTest : public testing::TestWithParam<ValidSdist> {};

TEST_P(ValidSdistNameTest, SplitsAtTheLastDash)
{
    auto sdist = parse_sdist_name(GetParam().filename);
    ASSERT_TRUE(sdist) << sdist.error().message;
    EXPECT_EQ(*sdist, (SdistName{.filename = GetParam().filename,
                                 .name = GetParam().name,
                                 .canonical_name = GetParam().canonical_name,
                                 .version = GetParam().version,
                                 .format = GetParam().format}));
}

INSTANTIATE_TEST_SUITE_P(
    Sdists, ValidSdistNameTest,
    testing::Values(
        ValidSdist{"requests-2.32.3.tar.gz", "requests", "requests", "2.32.3", SdistFormat::tar_gz},
        ValidSdist{"pydantic_core-2.20.1.tar.gz", "pydantic_core", "pydantic-core", "2.20.1", SdistFormat::tar_gz},
        ValidSdist{"zope.interface-6.4.tar.gz", "zope.interface", "zope-interface", "6.4", SdistFormat::tar_gz},
        ValidSdist{"python-dateutil-2.9.0.post0.tar.gz", "python-dateutil", "python-dateutil", "2.9.0.post0",
                   SdistFormat::tar_gz},
        ValidSdist{"Django-5.0.zip", "Django", "django", "5.0", SdistFormat::zip},
        ValidSdist{"foo-1.0rc1.zip", "foo", "foo", "1.0rc1", SdistFormat::zip},
        ValidSdist{"foo-1!2.0+local.tar.gz", "foo", "foo", "1!2.0+local", SdistFormat::tar_gz}));

class InvalidSdistNameTest : public testing::TestWithParam<InvalidName> {};

TEST_P(InvalidSdistNameTest, FailsNamingTheFile)
{
    auto sdist = parse_sdist_name(GetParam().filename);
    ASSERT_FALSE(sdist) << GetParam().filename << " parsed";
    EXPECT_EQ(sdist.error().code, ErrorCode::download);
    EXPECT_EQ(sdist.error().message, "invalid sdist file name '" + GetParam().filename + "': " + GetParam().why);
}

INSTANTIATE_TEST_SUITE_P(Malformed, InvalidSdistNameTest,
                         testing::Values(InvalidName{"foo-1.0.tar.bz2", "the extension must be .tar.gz or .zip"},
                                         InvalidName{"foo-1.0.tgz", "the extension must be .tar.gz or .zip"},
                                         InvalidName{"foo-1.0-py3-none-any.whl",
                                                     "the extension must be .tar.gz or .zip"},
                                         InvalidName{"foo.tar.gz", "expected name-version"},
                                         InvalidName{"-1.0.tar.gz", "invalid project name ''"},
                                         InvalidName{"foo_-1.0.tar.gz", "invalid project name 'foo_'"},
                                         InvalidName{"foo-.tar.gz", "invalid version ''"},
                                         InvalidName{"foo-1.0-beta.tar.gz", "invalid version 'beta'"},
                                         InvalidName{"foo-bar.zip", "invalid version 'bar'"}));

}  // namespace
}  // namespace gapbundle::sources::pypi
