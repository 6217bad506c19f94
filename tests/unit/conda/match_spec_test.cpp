#include <gapbundle/sources/conda/match_spec.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gapbundle::sources::conda {
namespace {

using fixtures::record;
using fixtures::spec;

std::string version_of(std::string_view text)
{
    const auto s = spec(text);
    return s.version() ? s.version()->text() : "<none>";
}

std::string build_of(std::string_view text)
{
    const auto s = spec(text);
    return s.build() ? s.build()->text() : "<none>";
}

TEST(MatchSpecTest, SplitsNameVersionAndBuild)
{
    EXPECT_EQ(spec("numpy").name(), "numpy");
    EXPECT_EQ(version_of("numpy"), "<none>");
    EXPECT_EQ(version_of("numpy 1.8"), "1.8");
    EXPECT_EQ(version_of("numpy=1.8"), "1.8*");
    EXPECT_EQ(version_of("numpy =1.8"), "1.8*");
    EXPECT_EQ(version_of("numpy==1.8"), "1.8");
    EXPECT_EQ(version_of("numpy=1.8=py311_0"), "1.8");
    EXPECT_EQ(build_of("numpy=1.8=py311_0"), "py311_0");
    EXPECT_EQ(version_of("numpy 1.8 py311_0"), "1.8");
    EXPECT_EQ(version_of("numpy =1.8 py311_0"), "1.8");
    EXPECT_EQ(version_of("numpy>=1.2,<2"), ">=1.2,<2");
    EXPECT_EQ(version_of("numpy >= 1.2 , < 2"), ">=1.2,<2");
    EXPECT_EQ(version_of("numpy >=1.0 , < 2.0 =py34_0"), ">=1.0,<2.0");
    EXPECT_EQ(build_of("numpy >=1.0 , < 2.0 =py34_0"), "py34_0");
    EXPECT_EQ(version_of("numpy 1.2|1.4*"), "1.2|1.4*");
    EXPECT_EQ(version_of("numpy 1.2.*"), "1.2.*");
    EXPECT_EQ(version_of("python_abi 3.11.* *_cp311"), "3.11.*");
    EXPECT_EQ(build_of("python_abi 3.11.* *_cp311"), "*_cp311");
    EXPECT_EQ(version_of("blas * mkl"), "*");
    EXPECT_EQ(build_of("blas * mkl"), "mkl");
    EXPECT_EQ(spec("NumPy>=1").name(), "numpy");
    EXPECT_EQ(version_of("numpy >=1 # a comment"), ">=1");
    // From conda's own MatchSpec tests.
    EXPECT_EQ(version_of("numpy 1.7*"), "1.7*");
    EXPECT_EQ(version_of("numpy>=1.2=py27_0"), ">=1.2");
    EXPECT_EQ(build_of("numpy>=1.2=py27_0"), "py27_0");
    EXPECT_EQ(version_of("foo=1.0=2"), "1.0");
    EXPECT_EQ(build_of("foo=1.0=2"), "2");
    EXPECT_EQ(version_of("numpy=1.7.*"), "1.7.*");
    EXPECT_EQ(version_of("numpy==1.7=py27_0"), "==1.7");
    EXPECT_EQ(version_of("python >=3.8,<3.9.0a0 *_cpython"), ">=3.8,<3.9.0a0");
    EXPECT_EQ(build_of("python >=3.8,<3.9.0a0 *_cpython"), "*_cpython");
    EXPECT_EQ(spec("_openmp_mutex >=4.5").name(), "_openmp_mutex");
    EXPECT_EQ(spec("pypy3.9 >=7.3").name(), "pypy3.9");
}

TEST(MatchSpecTest, ReadsChannelAndSubdir)
{
    EXPECT_EQ(spec("conda-forge::numpy").channel(), "conda-forge");
    EXPECT_EQ(spec("conda-forge::numpy").subdir(), "");
    EXPECT_EQ(spec("conda-forge/linux-64::numpy >=1").channel(), "conda-forge");
    EXPECT_EQ(spec("conda-forge/linux-64::numpy >=1").subdir(), "linux-64");
    EXPECT_EQ(spec("conda-forge/linux-64::numpy >=1").name(), "numpy");
    EXPECT_EQ(spec("https://conda.anaconda.org/conda-forge::numpy").channel(),
              "https://conda.anaconda.org/conda-forge");
}

TEST(MatchSpecTest, BracketsOverrideThePositionalFields)
{
    const auto s = spec("conda-forge::numpy 1.0 py27_0[version='>=1.2, <2', build=py311*, build_number=3]");
    EXPECT_EQ(s.version()->text(), ">=1.2, <2");
    EXPECT_EQ(s.build()->text(), "py311*");
    ASSERT_TRUE(s.build_number());
    EXPECT_EQ(s.build_number()->number, 3U);
    const auto t = spec("numpy[channel=conda-forge/noarch, md5=ABC, build_number='>=2']");
    EXPECT_EQ(t.channel(), "conda-forge");
    EXPECT_EQ(t.subdir(), "noarch");
    EXPECT_EQ(t.md5(), "abc");
    EXPECT_EQ(t.build_number()->op, BuildNumberSpec::Op::greater_equal);
}

TEST(MatchSpecTest, MatchesRecords)
{
    auto numpy = record("numpy", "1.26.4", "py311h64a7726_0");
    numpy.build_number = 3;
    EXPECT_TRUE(spec("numpy").matches(numpy));
    EXPECT_TRUE(spec("numpy >=1.26,<2.0a0").matches(numpy));
    EXPECT_FALSE(spec("numpy <1.26").matches(numpy));
    EXPECT_TRUE(spec("numpy=1.26").matches(numpy));
    EXPECT_FALSE(spec("numpy==1.26").matches(numpy));
    EXPECT_TRUE(spec("numpy 1.26.4 py311*").matches(numpy));
    EXPECT_FALSE(spec("numpy 1.26.4 py310*").matches(numpy));
    EXPECT_TRUE(spec("numpy * ^py311h[0-9a-f]+_0$").matches(numpy));
    EXPECT_FALSE(spec("numpy * ^PY311h[0-9a-f]+_0$").matches(numpy));  // build regexes keep case
    EXPECT_TRUE(spec("numpy * ^py3(10|11)h.*$").matches(numpy));
    EXPECT_TRUE(spec("numpy[build_number=3]").matches(numpy));
    EXPECT_FALSE(spec("numpy[build_number='>3']").matches(numpy));
    EXPECT_TRUE(spec("conda-forge::numpy").matches(numpy));
    EXPECT_FALSE(spec("defaults::numpy").matches(numpy));
    EXPECT_TRUE(spec("conda-forge/linux-64::numpy").matches(numpy));
    EXPECT_FALSE(spec("conda-forge/noarch::numpy").matches(numpy));
    EXPECT_FALSE(spec("scipy").matches(numpy));
    EXPECT_TRUE(spec("*").matches(numpy));
    EXPECT_TRUE(spec("numpy[version='1.25|1.26.4']").matches(numpy));
    EXPECT_TRUE(spec("numpy=1.26.4=py311h64a7726_0").matches(numpy));
    EXPECT_FALSE(spec("numpy=1.26=py311h64a7726_0").matches(numpy));  // with a build, =V is exact
    EXPECT_TRUE(spec("numpy==1.26.4=py311h64a7726_0").matches(numpy));
    EXPECT_TRUE(spec("numpy[md5=ABC]").matches([&] {
        auto copy = numpy;
        copy.md5 = "abc";
        return copy;
    }()));
    numpy.channel = "https://conda.anaconda.org/conda-forge";
    EXPECT_TRUE(spec("conda-forge::numpy").matches(numpy));
    EXPECT_FALSE(spec("forge::numpy").matches(numpy));
}

class MatchSpecInvalidTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(MatchSpecInvalidTest, NamesTheSpecAndTheFault)
{
    auto parsed = MatchSpec::parse(GetParam().first);
    ASSERT_FALSE(parsed) << GetParam().first;
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, GetParam().second);
}

using P = std::pair<std::string, std::string>;
INSTANTIATE_TEST_SUITE_P(
    Conda, MatchSpecInvalidTest,
    ::testing::Values(
        P{"", "invalid match spec '': empty spec"}, P{">=1.2", "invalid match spec '>=1.2': no package name"},
        P{"numpy >=1.2,<",
          "invalid match spec 'numpy >=1.2,<': invalid version spec '>=1.2,<': operator '<' has no version"},
        P{"numpy==", "invalid match spec 'numpy==': operator '==' has no version"},
        P{"numpy 1.2 py 3",
          "invalid match spec 'numpy 1.2 py 3': unexpected text after the build string in '1.2 py 3'"},
        P{"conda-forge:numpy",
          "invalid match spec 'conda-forge:numpy': a single ':' (did you mean 'conda-forge::numpy'?)"},
        P{"numpy[version=1.2",
          "invalid match spec 'numpy[version=1.2': text after the ']' of the brackets, or no closing ']'"},
        P{"numpy[version]", "invalid match spec 'numpy[version]': in brackets: expected key=value at 'version'"},
        P{"numpy[version='1.2]",
          "invalid match spec 'numpy[version='1.2]': in brackets: unterminated quote after 'version='"},
        P{"numpy[colour=red]",
          "invalid match spec 'numpy[colour=red]': in brackets: unsupported key 'colour' (supported: "
          "version, build, build_number, channel, subdir, md5, sha256, fn)"},
        P{"numpy[build_number=x]", "invalid match spec 'numpy[build_number=x]': build_number: not a number 'x'"},
        P{"num(py", "invalid match spec 'num(py': invalid character '(' in package name 'num(py'"},
        P{"numpy * ^py(",
          "invalid match spec 'numpy * ^py(': build: a regex must start with '^' and end with '$': '^py('"},
        P{"numpy * ^py{99999999999999999999}$",
          "invalid match spec 'numpy * ^py{99999999999999999999}$': build: invalid regex "
          "'^py{99999999999999999999}$': repetition counts ('{') are not supported"},
        // found by fuzz/conda_parser_fuzzer: std::regex overflowed reading the backreference number
        P{"numpy * ^1\\.2\\66666666666666666666$",
          "invalid match spec 'numpy * ^1\\.2\\66666666666666666666$': build: invalid regex "
          "'^1\\.2\\66666666666666666666$': backreferences ('\\6') are not supported"},
        P{"numpy * ^" + std::string(127, 'p') + "$",
          "invalid match spec 'numpy * ^" + std::string(127, 'p') + "$': build: invalid regex '^" +
              std::string(127, 'p') + "$': a regex is limited to 128 characters"}));

}  // namespace
}  // namespace gapbundle::sources::conda
