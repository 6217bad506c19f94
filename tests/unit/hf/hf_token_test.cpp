#include <gapbundle/sources/hf/hf_token.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <cstdlib>
#include <map>

namespace gapbundle::sources::hf {
namespace {

namespace stdfs = std::filesystem;
using Vars = std::map<std::string, std::string>;

EnvLookup env_of(Vars vars)
{
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

class HfTokenTest : public gapbundle::testing::TestDirFixture {
protected:
    std::optional<std::string> token(const Vars& vars)
    {
        auto found = find_hf_token(env_of(vars));
        EXPECT_TRUE(found) << found.error().message;
        if (!found || !*found) return std::nullopt;
        return (*found)->secret();
    }
};

TEST(CleanTokenTest, RemovesLineBreaksAndSurroundingSpace)
{
    EXPECT_EQ(clean_token("hf_abc\n"), "hf_abc");
    EXPECT_EQ(clean_token("  hf_abc \t\r\n"), "hf_abc");
    EXPECT_EQ(clean_token("hf_a\nbc"), "hf_abc");  // every CR and LF goes, inside too
    EXPECT_EQ(clean_token("hf a"), "hf a");        // inner spaces stay
    EXPECT_EQ(clean_token(""), std::nullopt);
    EXPECT_EQ(clean_token(" \r\n\t "), std::nullopt);
}

TEST(HfHomeTest, FollowsHfHomeThenXdgThenHome)
{
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "/data/hf"}, {"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}})), "/data/hf");
    EXPECT_EQ(hf_home(env_of({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}})), "/xdg/huggingface");
    EXPECT_EQ(hf_home(env_of({{"HOME", "/home/u"}})), "/home/u/.cache/huggingface");
    EXPECT_EQ(hf_home(env_of({{"HOME", "/home/u/"}})), "/home/u/.cache/huggingface");
    EXPECT_EQ(hf_home(env_of({{"HOME", "/"}})), "/.cache/huggingface");
}

TEST(HfHomeTest, ExpandsUserAndVariablesAsPython)
{
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "~/hf"}, {"HOME", "/home/u"}})), "/home/u/hf");
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "$BASE/hf"}, {"BASE", "/srv"}})), "/srv/hf");
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "${BASE}x/hf"}, {"BASE", "/srv"}})), "/srvx/hf");
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "$MISSING/hf"}})), "$MISSING/hf");
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "${unclosed/hf"}})), "${unclosed/hf");
    EXPECT_EQ(hf_home(env_of({{"HF_HOME", "a$/b"}})), "a$/b");
    EXPECT_EQ(hf_home(env_of({{"XDG_CACHE_HOME", "~/c"}, {"HOME", "/h"}})), "/h/c/huggingface");
    EXPECT_EQ(hf_home(env_of({{"XDG_CACHE_HOME", ""}, {"HOME", "/h"}})), "huggingface");  // as os.getenv gives it
}

TEST(HfHomeTest, TokenPathFollowsHfTokenPathThenHfHome)
{
    EXPECT_EQ(hf_token_path(env_of({{"HF_TOKEN_PATH", "~/t"}, {"HF_HOME", "/x"}, {"HOME", "/h"}})), "/h/t");
    EXPECT_EQ(hf_token_path(env_of({{"HF_HOME", "/x"}})), "/x/token");
    EXPECT_EQ(hf_token_path(env_of({{"HOME", "/h"}})), "/h/.cache/huggingface/token");
    EXPECT_EQ(hf_token_path(env_of({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/h"}})), "/xdg/huggingface/token");
}

TEST_F(HfTokenTest, PrefersHfToken)
{
    gapbundle::testing::write_text(dir() / "token", "from-file\n");
    EXPECT_EQ(token({{"HF_TOKEN", " hf_env\n"}, {"HF_TOKEN_PATH", (dir() / "token").string()}}), "hf_env");
}

TEST_F(HfTokenTest, FallsBackToTheLegacyVariableWhenHfTokenIsEmpty)
{
    EXPECT_EQ(token({{"HF_TOKEN", ""}, {"HUGGING_FACE_HUB_TOKEN", "legacy"}, {"HF_HOME", dir().string()}}), "legacy");
    EXPECT_EQ(token({{"HUGGING_FACE_HUB_TOKEN", "legacy"}, {"HF_HOME", dir().string()}}), "legacy");
}

TEST_F(HfTokenTest, BlankHfTokenFallsThroughToTheFile)
{
    // "  " is a non-empty HF_TOKEN, so the legacy variable is not read; cleaned it is nothing.
    gapbundle::testing::write_text(dir() / "token", "from-file");
    EXPECT_EQ(token({{"HF_TOKEN", "  "}, {"HUGGING_FACE_HUB_TOKEN", "legacy"}, {"HF_HOME", dir().string()}}),
              "from-file");
}

TEST_F(HfTokenTest, ReadsTheTokenFileAtHfTokenPath)
{
    gapbundle::testing::write_text(dir() / "custom", "\n  hf_custom \r\n");
    gapbundle::testing::write_text(dir() / "home" / "token", "hf_home");
    EXPECT_EQ(token({{"HF_TOKEN_PATH", (dir() / "custom").string()}, {"HF_HOME", (dir() / "home").string()}}),
              "hf_custom");
}

TEST_F(HfTokenTest, ReadsTheTokenFileInHfHome)
{
    gapbundle::testing::write_text(dir() / "home" / "token", "hf_home\n");
    EXPECT_EQ(token({{"HF_HOME", (dir() / "home").string()}}), "hf_home");
}

TEST_F(HfTokenTest, ReadsTheTokenFileInXdgCacheHome)
{
    gapbundle::testing::write_text(dir() / "xdg" / "huggingface" / "token", "hf_xdg");
    EXPECT_EQ(token({{"XDG_CACHE_HOME", (dir() / "xdg").string()}, {"HOME", "/nonexistent"}}), "hf_xdg");
}

TEST_F(HfTokenTest, ReadsTheTokenFileUnderHome)
{
    gapbundle::testing::write_text(dir() / ".cache" / "huggingface" / "token", "hf_default");
    EXPECT_EQ(token({{"HOME", dir().string()}}), "hf_default");
}

TEST_F(HfTokenTest, NoTokenWhenNothingIsSet)
{
    EXPECT_EQ(token({{"HOME", dir().string()}}), std::nullopt);
    EXPECT_EQ(token({{"HF_TOKEN_PATH", (dir() / "missing" / "token").string()}}), std::nullopt);
}

TEST_F(HfTokenTest, EmptyTokenFileIsNoToken)
{
    gapbundle::testing::write_text(dir() / "token", " \n");
    EXPECT_EQ(token({{"HF_TOKEN_PATH", (dir() / "token").string()}}), std::nullopt);
}

TEST_F(HfTokenTest, UnreadableTokenFileIsAnErrorNamingTheFile)
{
    stdfs::create_directories(dir() / "token");
    auto found = find_hf_token(env_of({{"HF_TOKEN_PATH", (dir() / "token").string()}}));
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::io);
    EXPECT_EQ(found.error().message,
              "Hugging Face token file: " + (dir() / "token").string() + ": is a folder, not a file");
}

TEST_F(HfTokenTest, OversizedTokenFileIsAnErrorWithoutItsContent)
{
    gapbundle::testing::write_text(dir() / "token", std::string(70000, 'S'));
    auto found = find_hf_token(env_of({{"HF_TOKEN_PATH", (dir() / "token").string()}}));
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().message.find("SSSS"), std::string::npos);
}

TEST(HfTokenValueTest, MakesTheAuthorizationHeader)
{
    const HfToken token("hf_secret");
    EXPECT_EQ(token.authorization(), "Bearer hf_secret");
    EXPECT_EQ(token.secret(), "hf_secret");
}

TEST(HfEndpointTest, UsesHfEndpointAndStripsTrailingSlashes)
{
    EXPECT_EQ(hf_endpoint(env_of({}), "https://huggingface.co"), "https://huggingface.co");
    EXPECT_EQ(hf_endpoint(env_of({}), "https://huggingface.co/"), "https://huggingface.co");
    EXPECT_EQ(hf_endpoint(env_of({{"HF_ENDPOINT", "http://mirror.local:8080//"}}), "https://huggingface.co"),
              "http://mirror.local:8080");
    EXPECT_EQ(hf_endpoint(env_of({{"HF_ENDPOINT", "http://mirror.local/hub"}}), "x"), "http://mirror.local/hub");
}

TEST(HfEnvironmentTest, ReadsTheProcessEnvironment)
{
    ::setenv("GAPBUNDLE_HF_TEST_VAR", "v", 1);
    ::unsetenv("GAPBUNDLE_HF_TEST_UNSET");
    const auto env = process_environment();
    EXPECT_EQ(env("GAPBUNDLE_HF_TEST_VAR"), "v");
    EXPECT_EQ(env("GAPBUNDLE_HF_TEST_UNSET"), std::nullopt);
    ::unsetenv("GAPBUNDLE_HF_TEST_VAR");
}

}  // namespace
}  // namespace gapbundle::sources::hf
