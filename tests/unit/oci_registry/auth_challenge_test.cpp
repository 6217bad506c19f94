#include "../../../src/sources/oci/auth_challenge.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::oci::detail {
namespace {

TEST(AuthChallengeTest, ParsesBearerWithQuotedCommas)
{
    auto parsed = parse_auth_challenges(
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push")");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->size(), 1u);
    const AuthChallenge& c = parsed->front();
    EXPECT_EQ(c.scheme, "bearer");
    EXPECT_EQ(c.param("realm"), "https://auth.docker.io/token");
    EXPECT_EQ(c.param("service"), "registry.docker.io");
    EXPECT_EQ(c.param("scope"), "repository:samalba/my-app:pull,push");
}

TEST(AuthChallengeTest, ResolvesEscapedQuotes)
{
    auto parsed = parse_auth_challenges(R"(Basic realm="say \"hi\", then \\ go")");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->front().scheme, "basic");
    EXPECT_EQ(parsed->front().param("realm"), R"(say "hi", then \ go)");
}

TEST(AuthChallengeTest, ParsesSeveralChallengesAndUnquotedValues)
{
    auto parsed = parse_auth_challenges(
        R"(Basic realm="Registry Realm", Bearer realm=https://t.example/token , Service = "svc" ,error="invalid_token")");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].scheme, "basic");
    EXPECT_EQ((*parsed)[0].param("realm"), "Registry Realm");
    EXPECT_EQ((*parsed)[1].scheme, "bearer");
    EXPECT_EQ((*parsed)[1].param("realm"), "https://t.example/token");
    EXPECT_EQ((*parsed)[1].param("service"), "svc");  // names are case-insensitive
    EXPECT_EQ((*parsed)[1].param("error"), "invalid_token");
    EXPECT_EQ((*parsed)[1].param("scope"), std::nullopt);
}

TEST(AuthChallengeTest, ParsesToken68AndBareSchemes)
{
    auto parsed = parse_auth_challenges("Negotiate abc+/9==, Bearer");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].scheme, "negotiate");
    EXPECT_EQ((*parsed)[0].token68, "abc+/9==");
    EXPECT_EQ((*parsed)[1].scheme, "bearer");
    EXPECT_TRUE((*parsed)[1].params.empty());
}

TEST(AuthChallengeTest, RejectsUnterminatedQuote)
{
    auto parsed = parse_auth_challenges(R"(Bearer service="s",realm="https://x/token)");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::network);
    EXPECT_EQ(parsed.error().message, "malformed WWW-Authenticate header: unterminated quoted string");
}

TEST(AuthChallengeTest, RejectsGarbageAfterValue)
{
    auto parsed = parse_auth_challenges(R"(Bearer realm="a" "b")");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "malformed WWW-Authenticate header: expected ',' after parameter 'realm'");
}

TEST(AuthChallengeTest, RejectsEmptyHeader)
{
    EXPECT_FALSE(parse_auth_challenges("  "));
}

}  // namespace
}  // namespace gapbundle::sources::oci::detail
