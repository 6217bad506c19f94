#include "push_fixture.hpp"

namespace gapbundle::testing {
namespace {

std::string denied(const RegistryServer& server, const std::string& image, int status = 401)
{
    return server.host() + "/" + image + ": access denied (HTTP " + std::to_string(status) +
           "): check the credentials for " + server.host() + " (--creds-env)";
}

TEST_F(PushTest, PushesWithBasicAuth)
{
    start(RegistryAuthMode::basic);
    auto pushed = push(options(basic_credentials()));
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(pushed->total.blobs_mounted, 1u);
    EXPECT_EQ(digest_of(raw_manifest("library/app-a:1.0", true)), m_a.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("library/multi:3.0", true)), m_index.digest);

    auto again = push(options(basic_credentials()));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->total.blobs_uploaded + again->total.manifests_pushed + again->total.tags_set, 0u);
}

TEST_F(PushTest, RefusesAWrongPasswordWithoutShowingIt)
{
    start(RegistryAuthMode::basic);
    auto pushed = push(options(basic_credentials("not-the-password")));
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::network);
    EXPECT_EQ(pushed.error().message, denied(*m_registry, "library/app-a:1.0"));
    EXPECT_EQ(pushed.error().message.find("not-the-password"), std::string::npos);
}

TEST_F(PushTest, RefusesAnonymousPushToABasicRegistry)
{
    start(RegistryAuthMode::basic);
    auto pushed = push(options());
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().message, denied(*m_registry, "library/app-a:1.0"));
}

TEST_F(PushTest, PushesWithTokenAuthAndMountsWithATwoScopeToken)
{
    start(RegistryAuthMode::token);
    auto pushed = push(options(basic_credentials()));
    ASSERT_TRUE(pushed) << pushed.error().message;
    // The mount into team/app-b needed one token for both repositories.
    EXPECT_EQ(pushed->total.blobs_mounted, 1u);
    EXPECT_EQ(pushed->total.blobs_uploaded, 9u);
    EXPECT_EQ(digest_of(raw_manifest("team/app-b:2.0", true)), m_b.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("library/multi:3.0", true)), m_index.digest);
    for (const std::string& authorization : m_registry->token_authorizations())
        EXPECT_TRUE(authorization.starts_with("Basic ")) << authorization;
}

TEST_F(PushTest, RefusesAWrongPasswordAtTheTokenServer)
{
    start(RegistryAuthMode::token);
    auto pushed = push(options(basic_credentials("not-the-password")));
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::network);
    EXPECT_EQ(pushed.error().message, denied(*m_registry, "library/app-a:1.0"));
    EXPECT_EQ(pushed.error().message.find("not-the-password"), std::string::npos);
}

}  // namespace
}  // namespace gapbundle::testing
