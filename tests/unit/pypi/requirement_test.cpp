#include "pypi_fixtures.hpp"

#include <gapbundle/sources/pypi/requirement.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

struct ParsedCase {
    std::string text;
    std::string name;
    std::vector<std::string> extras;
    std::string specifier;
    std::optional<std::string> url;
    std::optional<std::string> marker;  // as printed
};

class RequirementParseTest : public ::testing::TestWithParam<ParsedCase> {};

TEST_P(RequirementParseTest, SplitsIntoItsParts)
{
    const auto& c = GetParam();
    auto requirement = Requirement::parse(c.text);
    ASSERT_TRUE(requirement) << requirement.error().message;
    EXPECT_EQ(requirement->name, c.name);
    EXPECT_EQ(requirement->extras, c.extras);
    EXPECT_EQ(requirement->specifier.to_string(), c.specifier);
    EXPECT_EQ(requirement->url, c.url);
    ASSERT_EQ(requirement->marker.has_value(), c.marker.has_value());
    if (c.marker) {
        EXPECT_EQ(requirement->marker->to_string(), *c.marker);
    }
    auto again = Requirement::parse(requirement->to_string());
    ASSERT_TRUE(again) << requirement->to_string() << ": " << again.error().message;
    EXPECT_EQ(again->to_string(), requirement->to_string());
}

INSTANTIATE_TEST_SUITE_P(
    Pep508, RequirementParseTest,
    ::testing::Values(
        ParsedCase{.text = "numpy", .name = "numpy", .extras = {}, .specifier = "", .url = {}, .marker = {}},
        ParsedCase{.text = "  numpy  ", .name = "numpy", .extras = {}, .specifier = "", .url = {}, .marker = {}},
        ParsedCase{.text = "numpy<2", .name = "numpy", .extras = {}, .specifier = "<2", .url = {}, .marker = {}},
        ParsedCase{
            .text = "A.B-C_D==1.0", .name = "A.B-C_D", .extras = {}, .specifier = "==1.0", .url = {}, .marker = {}},
        ParsedCase{.text = "requests[socks] >=2.8.1, ==2.8.* ; python_version < \"3.12\"",
                   .name = "requests",
                   .extras = {"socks"},
                   .specifier = ">=2.8.1,==2.8.*",
                   .url = {},
                   .marker = "python_version < \"3.12\""},
        ParsedCase{.text = "transformers[torch]==4.44.2",
                   .name = "transformers",
                   .extras = {"torch"},
                   .specifier = "==4.44.2",
                   .url = {},
                   .marker = {}},
        ParsedCase{.text = "vllm>=0.5; sys_platform == \"linux\"",
                   .name = "vllm",
                   .extras = {},
                   .specifier = ">=0.5",
                   .url = {},
                   .marker = "sys_platform == \"linux\""},
        ParsedCase{.text = "name [ a , b,a ] ( >=1.0 , <2 )",
                   .name = "name",
                   .extras = {"a", "b"},
                   .specifier = ">=1.0,<2",
                   .url = {},
                   .marker = {}},
        ParsedCase{.text = "name[]", .name = "name", .extras = {}, .specifier = "", .url = {}, .marker = {}},
        ParsedCase{.text = "name()", .name = "name", .extras = {}, .specifier = "", .url = {}, .marker = {}},
        ParsedCase{.text = "name==1.0+ubuntu.1",
                   .name = "name",
                   .extras = {},
                   .specifier = "==1.0+ubuntu.1",
                   .url = {},
                   .marker = {}},
        ParsedCase{
            .text = "name===weird-1", .name = "name", .extras = {}, .specifier = "===weird-1", .url = {}, .marker = {}},
        ParsedCase{
            .text = "name~=1.4.5a4", .name = "name", .extras = {}, .specifier = "~=1.4.5a4", .url = {}, .marker = {}},
        ParsedCase{.text = "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
                   .name = "PySocks",
                   .extras = {},
                   .specifier = "!=1.5.7,>=1.5.6",
                   .url = {},
                   .marker = "extra == \"socks\""},
        ParsedCase{.text = "name; extra == 'Socks_Proxy'",
                   .name = "name",
                   .extras = {},
                   .specifier = "",
                   .url = {},
                   .marker = "extra == \"socks-proxy\""},
        ParsedCase{.text = "pip @ https://example.org/pip-24.0-py3-none-any.whl",
                   .name = "pip",
                   .extras = {},
                   .specifier = "",
                   .url = "https://example.org/pip-24.0-py3-none-any.whl",
                   .marker = {}},
        ParsedCase{
            .text =
                "pip[x]@ file:///tmp/pip.whl ; os_name == 'nt' or python_version >= '3.8' and platform_machine != 'x'",
            .name = "pip",
            .extras = {"x"},
            .specifier = "",
            .url = "file:///tmp/pip.whl",
            .marker = "os_name == \"nt\" or (python_version >= \"3.8\" and platform_machine != \"x\")"},
        ParsedCase{.text = "name;(os_name=='a' or os_name=='b')and python_version>'3'",
                   .name = "name",
                   .extras = {},
                   .specifier = "",
                   .url = {},
                   .marker = "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\""},
        ParsedCase{.text = "name;'arm' in platform_machine",
                   .name = "name",
                   .extras = {},
                   .specifier = "",
                   .url = {},
                   .marker = "\"arm\" in platform_machine"},
        ParsedCase{.text = "name; os_name not  in 'nt ce'",
                   .name = "name",
                   .extras = {},
                   .specifier = "",
                   .url = {},
                   .marker = "os_name not in \"nt ce\""},
        ParsedCase{.text = "name\t>=1.0\t;\tos.name=='posix'",
                   .name = "name",
                   .extras = {},
                   .specifier = ">=1.0",
                   .url = {},
                   .marker = "os_name == \"posix\""}));

struct FailureCase {
    std::string text;
    std::string message;
};

class RequirementErrorTest : public ::testing::TestWithParam<FailureCase> {};

TEST_P(RequirementErrorTest, PointsAtTheColumn)
{
    auto requirement = Requirement::parse(GetParam().text);
    ASSERT_FALSE(requirement) << GetParam().text << " parsed as " << requirement->to_string();
    EXPECT_EQ(requirement.error().code, ErrorCode::manifest);
    EXPECT_EQ(requirement.error().message, "invalid requirement '" + GetParam().text + "': " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Pep508, RequirementErrorTest,
    ::testing::Values(
        FailureCase{.text = "numpy>=", .message = "expected a version after '>=' (column 8)"},
        FailureCase{.text = "", .message = "expected a package name (column 1)"},
        FailureCase{.text = ">=1.0", .message = "expected a package name (column 1)"},
        FailureCase{.text = "Name_", .message = "package name must end with a letter or digit (column 5)"},
        FailureCase{.text = "name 1.0",
                    .message = "expected a version specifier (like >=1.0), '[', '@' or ';' after the name (column 6)"},
        FailureCase{.text = "name[", .message = "expected ']' to close the '[' opened at column 5 (column 6)"},
        FailureCase{.text = "name[a b]", .message = "expected ',' between extra names (column 8)"},
        FailureCase{.text = "name[a,]", .message = "expected an extra name after ',' (column 8)"},
        FailureCase{.text = "name[a;]", .message = "expected ',' or ']' after the extra name (column 7)"},
        FailureCase{.text = "name[-a]", .message = "expected an extra name (column 6)"},
        FailureCase{.text = "name (>=1.0", .message = "expected ')' to close the '(' opened at column 6 (column 12)"},
        FailureCase{.text = "name>=1.0 extra",
                    .message = "expected ',' or ';' after the version specifier (column 11)"},
        FailureCase{.text = "name>=1.0,", .message = "expected a version specifier after ',' (column 11)"},
        FailureCase{.text = "name>=1.0,,<2", .message = "expected a version specifier after ',' (column 11)"},
        FailureCase{.text = "name>=1.0+local",
                    .message = "a local version label is only allowed with == and != (column 7)"},
        FailureCase{.text = "name==1.0.*.5", .message = "'1.0.*.5' is not a valid version (column 7)"},
        FailureCase{.text = "name>=1.*", .message = ".* is only allowed with == and != (column 7)"},
        FailureCase{.text = "name==1.0.dev1.*",
                    .message = ".* cannot follow a pre-release, post-release, dev or local version (column 7)"},
        FailureCase{.text = "name~=1", .message = "~= needs at least two release numbers, like ~=1.0 (column 7)"},
        FailureCase{.text = "name=1.0",
                    .message = "expected a version specifier (like >=1.0), '[', '@' or ';' after the name (column 5)"},
        FailureCase{.text = "name @", .message = "expected a URL after '@' (column 7)"},
        FailureCase{.text = "name @ https://x/y.whl extra",
                    .message = "expected ';' or the end after the URL (column 24)"},
        FailureCase{.text = "name;", .message = "expected a marker variable or a quoted string (column 6)"},
        FailureCase{.text = "name; os_name = \"nt\"",
                    .message = "expected a marker operator (<, <=, ==, !=, >=, >, ~=, ===, in, not in) (column 15)"},
        FailureCase{.text = "name; foo == \"x\"", .message = "unknown marker variable 'foo' (column 7)"},
        FailureCase{.text = "name; (os_name == \"nt\"",
                    .message = "expected ')' to close the '(' opened at column 7 (column 23)"},
        FailureCase{.text = "name; os_name == \"nt\" and",
                    .message = "expected a marker variable or a quoted string (column 26)"},
        FailureCase{.text = "name; os_name == \"nt\" xor os_name == \"ce\"",
                    .message = "expected 'and', 'or' or the end of the marker (column 23)"},
        FailureCase{.text = "name; \"a\" == \"b\"",
                    .message = "a marker must compare a variable with a quoted string (column 7)"},
        FailureCase{.text = "name; os_name == \"nt", .message = "unterminated quoted string (column 18)"},
        FailureCase{.text = "name; os_name not \"nt\"", .message = "expected 'in' after 'not' (column 19)"}));

TEST(RequirementTest, CanonicalNameFollowsPep503)
{
    EXPECT_EQ(canonical_name("Django"), "django");
    EXPECT_EQ(canonical_name("Foo.Bar__baz"), "foo-bar-baz");
    EXPECT_EQ(canonical_name("zope.interface"), "zope-interface");
    EXPECT_EQ(canonical_name("a-_-.b"), "a-b");
    EXPECT_EQ(canonical_name("PyYAML"), "pyyaml");
    EXPECT_EQ(canonical_name("pydantic_core"), "pydantic-core");
}

TEST(RequirementTest, ItsSpecifierAndMarkerWork)
{
    auto requirement = Requirement::parse("numpy>=1.26,<2; python_version >= '3.9' and extra == 'fast'");
    ASSERT_TRUE(requirement);
    EXPECT_TRUE(requirement->specifier.contains(*Version::parse("1.26.4")));
    EXPECT_FALSE(requirement->specifier.contains(*Version::parse("2.0")));
    const MarkerEnvironment env = fixtures::linux_cpython("3.11.9");
    EXPECT_FALSE(*requirement->marker->evaluate(env));
    const std::vector<std::string> extras = {"Fast"};
    EXPECT_TRUE(*requirement->marker->evaluate(env, extras));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
