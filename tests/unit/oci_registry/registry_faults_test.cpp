// Faults no real registry produces, from a small fake registry (the one fake allowed here).

#include "registry_fixture.hpp"

#include "support/http_test_server.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace gapbundle::testing {
namespace {

namespace mt = sources::oci::media_types;

// Serves one manifest body for every /v2/demo/app/manifests/<ref>, with chosen headers.
class FakeRegistry {
public:
    FakeRegistry()
    {
        m_server.Get(R"(/v2/demo/app/manifests/(.+))", [this](const httplib::Request&, httplib::Response& res) {
            for (const auto& [name, value] : m_headers) res.set_header(name, value);
            res.set_content(m_body, m_content_type);
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~FakeRegistry()
    {
        m_server.stop();
        m_thread.join();
    }
    FakeRegistry(const FakeRegistry&) = delete;
    FakeRegistry& operator=(const FakeRegistry&) = delete;

    void serve(std::string body, std::string content_type, HeaderList headers = {})
    {
        m_body = std::move(body);
        m_content_type = std::move(content_type);
        m_headers = std::move(headers);
    }
    [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::string m_body;
    std::string m_content_type;
    HeaderList m_headers;
};

sources::oci::RegistryClient client_for(const std::string& host)
{
    sources::oci::RegistryOptions options;
    options.insecure = true;
    options.engine = quick_engine();
    return sources::oci::RegistryClient(host, options);
}

const std::string k_manifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]})";

TEST(RegistryFaultTest, RejectsManifestWhoseBytesDifferFromTheDigest)
{
    FakeRegistry fake;
    const std::string wanted = "sha256:" + crypto::sha256_hex(k_manifest);
    std::string tampered = k_manifest;
    tampered.back() = ' ';
    tampered += "}";
    fake.serve(tampered, std::string(mt::k_oci_manifest), {{"Docker-Content-Digest", wanted}});
    auto registry = client_for(fake.host());
    auto manifest = registry.get_manifest("demo/app", wanted);
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::download);
    EXPECT_EQ(manifest.error().message, fake.host() + "/demo/app@" + wanted +
                                            ": manifest digest mismatch: the registry sent bytes hashing to sha256:" +
                                            crypto::sha256_hex(tampered));
}

TEST(RegistryFaultTest, RejectsDockerContentDigestThatDisagreesWithTheBytes)
{
    FakeRegistry fake;
    const std::string other = "sha256:" + std::string(64, 'a');
    fake.serve(k_manifest, std::string(mt::k_oci_manifest), {{"Docker-Content-Digest", other}});
    auto registry = client_for(fake.host());
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::download);
    EXPECT_EQ(manifest.error().message,
              fake.host() + "/demo/app:1.0: Docker-Content-Digest " + other +
                  " does not match the manifest bytes (sha256:" + crypto::sha256_hex(k_manifest) + ")");
}

TEST(RegistryFaultTest, TakesMediaTypeFromJsonWhenContentTypeIsGeneric)
{
    FakeRegistry fake;
    fake.serve(k_manifest, "application/json; charset=utf-8");
    auto registry = client_for(fake.host());
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->media_type, mt::k_oci_manifest);
    EXPECT_EQ(manifest->digest, "sha256:" + crypto::sha256_hex(k_manifest));
}

TEST(RegistryFaultTest, RejectsMediaTypeDisagreement)
{
    FakeRegistry fake;
    fake.serve(k_manifest, std::string(mt::k_oci_index));
    auto registry = client_for(fake.host());
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::download);
}

TEST(RegistryFaultTest, ResolvesDigestByGetWhenHeadHasNone)
{
    FakeRegistry fake;
    fake.serve(k_manifest, std::string(mt::k_oci_manifest));
    auto registry = client_for(fake.host());
    auto digest = registry.resolve_digest("demo/app", "1.0");
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(*digest, "sha256:" + crypto::sha256_hex(k_manifest));
}

TEST(RegistryFaultTest, ExplainsRateLimitAfterRetries)
{
    HttpTestServer server;
    server.fail_times("/v2/library/python/manifests/3.11", -1, 429, {{"Retry-After", "0"}});
    auto registry = client_for("127.0.0.1:" + std::to_string(server.port()));
    auto manifest = registry.get_manifest("library/python", "3.11");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::network);
    EXPECT_EQ(manifest.error().message,
              "127.0.0.1:" + std::to_string(server.port()) +
                  "/library/python:3.11: too many requests (HTTP 429), still refused after 3 attempts: the "
                  "registry's rate limit; try again later or log in for a higher limit");
    EXPECT_EQ(server.requests("/v2/library/python/manifests/3.11"), 3);
}

TEST(RegistryFaultTest, NamesDockerHubImagesByTheirCanonicalName)
{
    sources::oci::RegistryOptions options;
    const sources::oci::RegistryClient registry("registry-1.docker.io", options);
    EXPECT_EQ(registry.image_name("library/python", "3.11"), "docker.io/library/python:3.11");
    EXPECT_EQ(registry.base_url(), "https://registry-1.docker.io");
}

}  // namespace
}  // namespace gapbundle::testing

namespace gapbundle::testing {
namespace {

using RegistryRedirectTest = TestDirFixture;

// Real registries send blobs to a storage host with a 307; the bearer token stays behind.
TEST_F(RegistryRedirectTest, KeepsTheTokenFromTheStorageHost)
{
    HttpTestServer server;
    const std::string blob = "layer bytes";
    const std::string digest = "sha256:" + crypto::sha256_hex(blob);
    const std::string blob_path = "/v2/demo/app/blobs/" + digest;
    server.fail_times("/v2/", -1, 401,
                      {{"WWW-Authenticate", "Bearer realm=\"" + server.url("/token") + "\",service=\"fake\""}});
    server.serve_bytes("/token", R"({"access_token":"tok-123","expires_in":300})", "application/json");
    server.redirect(blob_path, server.url_on("localhost", "/storage/blob"), 307);
    server.serve_bytes("/storage/blob", blob);

    auto registry = client_for("127.0.0.1:" + std::to_string(server.port()));
    auto request = registry.blob_request("demo/app", digest, dir() / "blob");
    ASSERT_TRUE(request) << request.error().message;
    net::HttpEngine engine(quick_engine());
    auto results = engine.download(std::span(&*request, 1));
    ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
    EXPECT_EQ(results[0]->sha256, digest.substr(7));
    EXPECT_EQ(server.last_header("/token", "Authorization"), std::nullopt);
    EXPECT_EQ(server.last_header(blob_path, "Authorization"), "Bearer tok-123");
    EXPECT_EQ(server.last_header("/storage/blob", "Authorization"), std::nullopt);
}

}  // namespace
}  // namespace gapbundle::testing
