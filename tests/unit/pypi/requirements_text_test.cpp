#include "../../../src/sources/pypi/requirements_text.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

// The text layer of requirements files; requirements_file_test.cpp covers the format end to end.

TEST(RequirementsTextTest, SplitsOptionsLikeAShell)
{
    using requirements_text::split_options;
    EXPECT_EQ(split_options(""), std::vector<std::string>{});
    EXPECT_EQ(split_options("  -i  x\t--pre "), (std::vector<std::string>{"-i", "x", "--pre"}));
    EXPECT_EQ(split_options("-i 'a b' \"c \\\" d\" e\\ f"), (std::vector<std::string>{"-i", "a b", "c \" d", "e f"}));
    EXPECT_EQ(split_options("x'y'\"z\""), (std::vector<std::string>{"xyz"}));
    EXPECT_EQ(split_options("''"), (std::vector<std::string>{""}));
    EXPECT_FALSE(split_options("'open"));
    EXPECT_FALSE(split_options("\"open"));
    EXPECT_FALSE(split_options("trailing\\"));
}

TEST(RequirementsTextTest, RedactsUrlCredentials)
{
    using requirements_text::redact;
    EXPECT_EQ(redact("https://user:pw@host/x", {}), "https://user:***@host/x");
    EXPECT_EQ(redact("https://token@host/x", {}), "https://***@host/x");
    EXPECT_EQ(redact("https://host/x@y", {}), "https://host/x@y");
    EXPECT_EQ(redact("a https://u:p@h 'http://v:q@i/' https://w@j", {}),
              "a https://u:***@h 'http://v:***@i/' https://***@j");
    EXPECT_EQ(redact("https://u:p:q@weird@host/", {}), "https://u:***@host/");
    EXPECT_EQ(redact("no url user:pw@host", {}), "no url user:pw@host");
    EXPECT_EQ(redact("key=abc and abc", {"abc"}), "key=*** and ***");
}

TEST(RequirementsTextTest, TellsSecretVariableNames)
{
    using requirements_text::looks_secret;
    for (const char* name :
         {"PIP_TOKEN", "API_KEY", "PASSWORD", "DB_PASSWD", "CLIENT_SECRET", "AUTH", "CREDENTIALS", "PWD"})
        EXPECT_TRUE(looks_secret(name)) << name;
    for (const char* name : {"HOME", "INDEX_HOST", "VERSION"}) EXPECT_FALSE(looks_secret(name)) << name;
}

TEST(RequirementsTextTest, NumbersLogicalLines)
{
    const auto env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const auto lines = requirements_text::logical_lines("a\r\n\r\nb \\\r\nc\\\n\\\nd\n  # x\ne # y\n", env);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].number, 1u);
    EXPECT_EQ(lines[0].text, "a");
    EXPECT_EQ(lines[1].number, 3u);
    EXPECT_EQ(lines[1].text, "b cd");
    EXPECT_EQ(lines[2].number, 8u);
    EXPECT_EQ(lines[2].text, "e");
}

TEST(RequirementsTextTest, BackslashThenSpaceDoesNotContinue)
{
    const auto env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const auto lines = requirements_text::logical_lines("a \\ \nb\\\\\nc\n", env);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "a \\");
    EXPECT_EQ(lines[1].number, 2u);
    EXPECT_EQ(lines[1].text, "bc");
}

TEST(RequirementsTextTest, RemembersValuesOfSecretVariables)
{
    const auto env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "HOST") return "example.org";
        if (name == "PIP_TOKEN") return "t0ken";
        if (name == "EMPTY_KEY") return "";
        return std::nullopt;
    };
    const auto lines =
        requirements_text::logical_lines("-i https://u:${PIP_TOKEN}@${HOST}/${EMPTY_KEY}${NOPE}${bad}${}\n", env);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "-i https://u:t0ken@example.org/${EMPTY_KEY}${NOPE}${bad}${}");
    EXPECT_EQ(lines[0].secrets, (std::vector<std::string>{"t0ken"}));
}

}  // namespace
}  // namespace gapbundle::sources::pypi
