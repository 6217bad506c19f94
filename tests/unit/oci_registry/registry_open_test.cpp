#include "registry_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>

#include <gtest/gtest.h>

#include <array>

namespace gapbundle::testing {
namespace {

namespace mt = sources::oci::media_types;

TEST_F(RegistryClientTest, GetsManifestByTag)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    auto manifest = registry.get_manifest("demo/app", "1.0");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->media_type, mt::k_oci_manifest);
    EXPECT_EQ(manifest->digest, m_image.manifest.digest);
    EXPECT_EQ(manifest->bytes, m_image.manifest_bytes);
}

TEST_F(RegistryClientTest, GetsManifestByDigest)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    auto manifest = registry.get_manifest("demo/app", m_image.manifest.digest);
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->digest, m_image.manifest.digest);
    EXPECT_EQ(manifest->bytes, m_image.manifest_bytes);
}

TEST_F(RegistryClientTest, ResolvesTagToDigest)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    auto digest = registry.resolve_digest("demo/app", "1.0");
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(*digest, m_image.manifest.digest);
}

TEST_F(RegistryClientTest, GetsMultiArchIndexAndItsManifests)
{
    start(RegistryAuthMode::open);
    OciLayout layout(dir() / "multi");
    const BuiltImage amd64 = layout.add_image("amd64", {{"a.txt", "amd64 bits\n"}});
    const BuiltImage arm64 = layout.add_image("arm64", {{"a.txt", "arm64 bits\n"}});
    const Descriptor index = layout.add_index({{amd64, "amd64"}, {arm64, "arm64"}});
    layout.tag(index, "multi");
    m_registry->push(layout.folder(), "multi", "demo/multi:2.0", /*all=*/true);

    auto registry = client();
    auto top = registry.get_manifest("demo/multi", "2.0");
    ASSERT_TRUE(top) << top.error().message;
    EXPECT_EQ(top->media_type, mt::k_oci_index);
    EXPECT_EQ(top->digest, index.digest);
    auto resolved = registry.resolve_digest("demo/multi", "2.0");
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(*resolved, index.digest);
    for (const BuiltImage* image : {&amd64, &arm64}) {
        auto child = registry.get_manifest("demo/multi", image->manifest.digest);
        ASSERT_TRUE(child) << child.error().message;
        EXPECT_EQ(child->media_type, mt::k_oci_manifest);
        EXPECT_EQ(child->bytes, image->manifest_bytes);
    }
}

TEST_F(RegistryClientTest, DownloadsBlobsThroughTheEngine)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    std::vector<net::DownloadRequest> requests;
    for (std::size_t i = 0; i < m_image.layers.size(); ++i) {
        auto request =
            registry.blob_request("demo/app", m_image.layers[i].digest, dir() / ("layer" + std::to_string(i)));
        ASSERT_TRUE(request) << request.error().message;
        EXPECT_EQ(request->expected_sha256, m_image.layers[i].digest.substr(7));
        requests.push_back(*request);
    }
    net::HttpEngine engine(quick_engine());
    auto results = engine.download(requests);
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i]) << results[i].error().message;
        EXPECT_EQ("sha256:" + results[i]->sha256, m_image.layers[i].digest);
        EXPECT_EQ(read_text(dir() / ("layer" + std::to_string(i))), m_image.layer_bytes[i]);
    }
}

TEST_F(RegistryClientTest, ReportsUnknownTag)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    auto manifest = registry.get_manifest("demo/app", "9.9");
    ASSERT_FALSE(manifest);
    EXPECT_EQ(manifest.error().code, ErrorCode::network);
    EXPECT_EQ(manifest.error().message, "127.0.0.1:" + std::to_string(m_registry->port()) +
                                            "/demo/app:9.9: manifest unknown (HTTP 404): does the tag exist?");
    auto digest = registry.resolve_digest("demo/app", "9.9");
    ASSERT_FALSE(digest);
    EXPECT_EQ(digest.error().message, manifest.error().message);
}

TEST_F(RegistryClientTest, RejectsNonSha256Digest)
{
    start(RegistryAuthMode::open);
    auto registry = client();
    auto manifest = registry.get_manifest("demo/app", "sha512:" + std::string(128, 'a'));
    ASSERT_FALSE(manifest);
    EXPECT_NE(manifest.error().message.find("only sha256 is supported"), std::string::npos);
}

}  // namespace
}  // namespace gapbundle::testing
