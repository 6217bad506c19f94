#include "registry_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

std::string denied(const RegistryServer& server, const std::string& image, int status = 401)
{
    return server.host() + "/" + image + ": access denied (HTTP " + std::to_string(status) +
           "): check the credentials for " + server.host();
}

TEST_F(RegistryClientTest, PullsWithBasicAuth)
{
    start(RegistryAuthMode::basic);
    auto registry = client(basic_credentials());
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->digest, m_image.manifest.digest);
    auto digest = registry.resolve_digest("demo/app", "1.0");
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(*digest, m_image.manifest.digest);

    auto request = registry.blob_request("demo/app", m_image.config.digest, dir() / "config.json");
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->credentials.kind, net::Credentials::Kind::basic);
    net::HttpEngine engine(quick_engine());
    auto results = engine.download(std::span(&*request, 1));
    ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
    EXPECT_EQ("sha256:" + results[0]->sha256, m_image.config.digest);
}

TEST_F(RegistryClientTest, RejectsWrongPasswordWithoutShowingIt)
{
    start(RegistryAuthMode::basic);
    auto registry = client(basic_credentials("not-the-password"));
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::network);
    EXPECT_EQ(manifest.error().message, denied(*m_registry, "demo/app:1.0"));
    EXPECT_EQ(manifest.error().message.find("not-the-password"), std::string::npos);
}

TEST_F(RegistryClientTest, RejectsAnonymousPullFromBasicRegistry)
{
    start(RegistryAuthMode::basic);
    auto registry = client();
    auto digest = registry.resolve_digest("demo/app", "1.0");
    ASSERT_FALSE(digest);
    EXPECT_EQ(digest.error().message, denied(*m_registry, "demo/app:1.0"));
    auto blob = registry.blob_request("demo/app", m_image.config.digest, dir() / "c");
    ASSERT_FALSE(blob);
    EXPECT_EQ(blob.error().message, denied(*m_registry, "demo/app@" + m_image.config.digest));
}

TEST_F(RegistryClientTest, PullsWithTokenAndCachesIt)
{
    start(RegistryAuthMode::token);
    const int pushed = m_registry->token_requests();
    auto registry = client(basic_credentials());
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->digest, m_image.manifest.digest);
    auto digest = registry.resolve_digest("demo/app", "1.0");
    ASSERT_TRUE(digest) << digest.error().message;
    auto again = registry.get_manifest("demo/app", *digest);
    ASSERT_TRUE(again) << again.error().message;
    auto request = registry.blob_request("demo/app", m_image.layers[0].digest, dir() / "layer0");
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(m_registry->token_requests() - pushed, 1);  // one token for repository:demo/app:pull
    // The token server saw our Basic credentials.
    EXPECT_TRUE(m_registry->token_authorizations().back().starts_with("Basic "));

    EXPECT_EQ(request->credentials.kind, net::Credentials::Kind::bearer);
    net::HttpEngine engine(quick_engine());
    auto results = engine.download(std::span(&*request, 1));
    ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
    EXPECT_EQ(read_text(dir() / "layer0"), m_image.layer_bytes[0]);
}

TEST_F(RegistryClientTest, PullsAnonymouslyWithToken)
{
    start(RegistryAuthMode::token);
    auto registry = client();
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(m_registry->token_authorizations().back(), "");
}

TEST_F(RegistryClientTest, RenewsTokenOnLater401)
{
    start(RegistryAuthMode::token);
    const int pushed = m_registry->token_requests();
    auto registry = client(basic_credentials());
    m_registry->issue_expired_tokens(true);
    auto refused = registry.get_manifest("demo/app", "1.0");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, denied(*m_registry, "demo/app:1.0"));
    EXPECT_EQ(m_registry->token_requests() - pushed, 1);

    m_registry->issue_expired_tokens(false);
    auto manifest = registry.get_manifest("demo/app", "1.0");  // the cached token fails: a new one
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(m_registry->token_requests() - pushed, 2);
    auto cached = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(cached) << cached.error().message;
    EXPECT_EQ(m_registry->token_requests() - pushed, 2);
}

TEST_F(RegistryClientTest, RejectsWrongPasswordAtTheTokenServer)
{
    start(RegistryAuthMode::token);
    auto registry = client(basic_credentials("wrong-secret"));
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().message, denied(*m_registry, "demo/app:1.0"));
    EXPECT_EQ(manifest.error().message.find("wrong-secret"), std::string::npos);
    auto blob = registry.blob_request("demo/app", m_image.config.digest, dir() / "c");
    ASSERT_FALSE(blob);
    EXPECT_EQ(blob.error().message, denied(*m_registry, "demo/app@" + m_image.config.digest));
}

}  // namespace
}  // namespace gapbundle::testing
