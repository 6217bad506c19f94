#include <gapbundle/sources/conda/version_spec.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

using fixtures::version;

bool matches(std::string_view spec, std::string_view text)
{
    auto parsed = VersionSpec::parse(spec);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().message;
        return false;
    }
    return parsed->matches(version(text));
}

struct Case {
    std::string spec;
    std::vector<std::string> yes;
    std::vector<std::string> no;
};

TEST(VersionSpecTest, MatchesAsConda)
{
    const std::vector<Case> cases{
        {"1.2", {"1.2", "1.2.0"}, {"1.2.1", "1.20", "1.1"}},
        {"==1.2", {"1.2", "1.2.0"}, {"1.2.1"}},
        {"=1.2", {"1.2", "1.2.0", "1.2.9", "1.2a1", "1.2.post1"}, {"1.20", "1.3", "1.1.9"}},
        {"1.2.*", {"1.2", "1.2.7"}, {"1.20", "1.3"}},
        {"1.2*", {"1.2", "1.2.7"}, {"1.20", "1.3"}},
        {"!=1.2.*", {"1.20", "1.3"}, {"1.2", "1.2.7"}},
        {"!=1.2", {"1.2.1", "1.3"}, {"1.2", "1.2.0"}},
        {">=1.26,<2.0a0", {"1.26", "1.26.4", "1.99"}, {"2.0", "2.0rc1", "2.0a0", "1.25.9"}},
        {">=1.2,<2|==3.1", {"1.5", "3.1"}, {"2.0", "3.1.1"}},
        {"1.2|1.4*", {"1.2", "1.4", "1.4.5"}, {"1.2.1", "1.3", "1.40"}},
        {"(>=1,<2)|>3", {"1.5", "3.5"}, {"2.5", "3"}},
        {">=1 , <2", {"1.5"}, {"2"}},
        {"~=1.4.2", {"1.4.2", "1.4.9"}, {"1.5", "1.4.1"}},
        {"*", {"0", "1!9.9"}, {}},
        {"1.*.3", {"1.2.3", "1.55.3"}, {"1.2.4", "2.2.3"}},
        {"^1\\.2\\.[0-9]+$", {"1.2.3"}, {"1.2", "1.3.1"}},
        {"<3.12.0a0", {"3.11.9"}, {"3.12.0rc1", "3.12"}},
        {">=2.17,<3.0.a0", {"2.28"}, {"3.0"}},
        {"3.11.*", {"3.11.0", "3.11.9"}, {"3.1", "3.12"}},
        {">1.0", {"1.0.1", "1.0post1"}, {"1.0", "1.0rc1"}},
        {"<=1.0", {"1.0", "1.0.0", "0.9"}, {"1.0.1"}},
        {"==1.2.*", {"1.2"}, {"1.2.1"}},  // conda drops the ".*" after == (with a warning)
        {">=1.2.*", {"1.2", "1.3"}, {"1.1"}},
    };
    for (const auto& c : cases) {
        for (const auto& yes : c.yes) EXPECT_TRUE(matches(c.spec, yes)) << c.spec << " should match " << yes;
        for (const auto& no : c.no) EXPECT_FALSE(matches(c.spec, no)) << c.spec << " should not match " << no;
    }
}

TEST(VersionSpecTest, AcceptsNestingUpToTheLimit)
{
    EXPECT_TRUE(matches(std::string(64, '(') + "1.2" + std::string(64, ')'), "1.2"));
    EXPECT_TRUE(matches("((1.0,<2)|(>=3,(<4|5)))", "3.5"));
}

TEST(VersionSpecTest, KnowsTheMatchAll)
{
    EXPECT_TRUE(VersionSpec::parse("*")->is_any());
    EXPECT_FALSE(VersionSpec::parse("1.*")->is_any());
}

class VersionSpecInvalidTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(VersionSpecInvalidTest, NamesTheSpecAndTheFault)
{
    auto parsed = VersionSpec::parse(GetParam().first);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, GetParam().second);
}

using P = std::pair<std::string, std::string>;
INSTANTIATE_TEST_SUITE_P(
    Conda, VersionSpecInvalidTest,
    ::testing::Values(P{"", "invalid version spec '': empty version spec"},
                      P{">=1.2,<", "invalid version spec '>=1.2,<': operator '<' has no version"},
                      P{">=1.2,", "invalid version spec '>=1.2,': missing version at the end"},
                      P{"|1.2", "invalid version spec '|1.2': missing version before '|'"},
                      P{"(1.2", "invalid version spec '(1.2': unbalanced '('"},
                      P{"1.2)", "invalid version spec '1.2)': unbalanced ')'"},
                      P{">>1.2", "invalid version spec '>>1.2': invalid operator in '>>1.2'"},
                      P{"!3.0.0", "invalid version spec '!3.0.0': invalid operator in '!3.0.0'"},
                      P{"~3.0", "invalid version spec '~3.0': invalid operator in '~3.0'"},
                      P{"~=1.2.*", "invalid version spec '~=1.2.*': '~=' cannot end in '.*' in '~=1.2.*'"},
                      P{"~=1", "invalid version spec '~=1': '~=' needs at least two components in '~=1'"},
                      P{"^1.2", "invalid version spec '^1.2': regex '^1.2' has no closing '$'"},
                      P{"1.2$", "invalid version spec '1.2$': a regex must start with '^' and end with '$'"},
                      P{"^1{4444444444}$", "invalid version spec '^1{4444444444}$': invalid regex '^1{4444444444}$': "
                                           "repetition counts ('{') are not supported"},
                      // found by fuzz/conda_parser_fuzzer: 1,300 levels overflowed the stack
                      P{std::string(65, '(') + "1" + std::string(65, ')'),
                        "invalid version spec '" + std::string(65, '(') + "1" + std::string(65, ')') +
                            "': parentheses nested more than 64 deep"},
                      P{std::string(5000, '('), "invalid version spec '" + std::string(5000, '(') +
                                                    "': parentheses nested more than 64 deep"},
                      P{">=1..2",
                        "invalid version spec '>=1..2': in '>=1..2': invalid version '1..2': empty version "
                        "component"}));

}  // namespace
}  // namespace gapbundle::sources::conda
