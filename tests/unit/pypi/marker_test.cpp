#include "pypi_fixtures.hpp"

#include <gapbundle/sources/pypi/markers.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi {
namespace {

MarkerEnvironment linux_cpython(const std::string& full_version)
{
    return fixtures::linux_cpython(full_version);
}

bool holds(std::string_view marker, const MarkerEnvironment& env)
{
    auto parsed = Marker::parse(marker);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().message;
        return false;
    }
    auto result = parsed->evaluate(env);
    if (!result) {
        ADD_FAILURE() << result.error().message;
        return false;
    }
    return *result;
}

TEST(MarkerTest, OnlyTheFullVersionSeesTheMicroVersion)
{
    const auto env = linux_cpython("3.11.9");
    EXPECT_FALSE(holds("python_version > \"3.11\"", env));
    EXPECT_FALSE(holds("python_version >= \"3.11.2\"", env));
    EXPECT_TRUE(holds("python_full_version >= \"3.11.2\"", env));
}

TEST(MarkerTest, APreReleaseInterpreterComparesAsOne)
{
    const auto env = linux_cpython("3.13.0rc2");
    EXPECT_TRUE(holds("python_full_version >= \"3.13.0rc1\"", env));
    EXPECT_FALSE(holds("python_full_version < \"3.13\"", env));  // <V keeps V's own pre-releases out
    EXPECT_TRUE(holds("python_full_version >= \"3.12\"", env));
}

TEST(MarkerTest, AnUntaggedInterpreterBuildStillCompares)
{
    auto env = linux_cpython("3.13.0");
    env.python_full_version = "3.13.0+";
    EXPECT_TRUE(holds("python_full_version >= \"3.13\"", env));
    EXPECT_TRUE(holds("python_full_version == \"3.13.0\"", env));
}

TEST(MarkerTest, UndefinedComparisonsAreErrors)
{
    const auto env = linux_cpython("3.11.9");
    auto text = Marker::parse("os_name ~= \"posix\"")->evaluate(env);
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().message, "marker 'os_name ~= \"posix\"': cannot compare 'posix' and 'posix' with ~=");
    auto version = Marker::parse("python_version ~= \"3\"")->evaluate(env);
    ASSERT_FALSE(version);
    EXPECT_EQ(version.error().message, "marker 'python_version ~= \"3\"': cannot compare '3.11' and '3' with ~=");
    // An error inside "or" surfaces even when an earlier branch is false.
    EXPECT_FALSE(Marker::parse("os_name == \"nt\" or os_name ~= \"x\"")->evaluate(env));
}

TEST(MarkerTest, AVersionVariableAgainstTextFallsBackToTextComparison)
{
    const auto env = linux_cpython("3.11.9");
    EXPECT_FALSE(holds("python_version == \"three\"", env));
    EXPECT_TRUE(holds("python_version != \"three\"", env));
    EXPECT_FALSE(holds("platform_release >= \"5.10\"", env));  // "" is no version
}

TEST(MarkerTest, ParseErrorsNameTheMarkerAndColumn)
{
    auto parsed = Marker::parse("python_version <");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message,
              "invalid marker 'python_version <': expected a marker variable or a quoted string (column 17)");
    EXPECT_EQ(
        Marker::parse("os_name == 'a' andos_name == 'b'").error().message,
        "invalid marker 'os_name == 'a' andos_name == 'b'': expected 'and', 'or' or the end of the marker (column 16)");
    EXPECT_FALSE(Marker::parse(""));
    EXPECT_FALSE(Marker::parse("extras == 'a'"));
}

TEST(MarkerTest, AndBindsTighterThanOr)
{
    const auto env = linux_cpython("3.11.9");
    EXPECT_TRUE(holds("os_name == 'posix' or os_name == 'nt' and python_version < '3'", env));
    EXPECT_FALSE(holds("(os_name == 'posix' or os_name == 'nt') and python_version < '3'", env));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
