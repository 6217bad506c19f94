// Registry faults while packing images, from a scripted registry (the test HTTP server speaking
// the pull side of the Distribution API): dropped connections, 429, wrong bytes.
#include "trip_fixture.hpp"

#include "../unit/oci_registry/oci_layout.hpp"
#include "support/http_test_server.hpp"

#include <gapbundle/sources/oci/media_types.hpp>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class ImagesFaultsTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        OciLayout layout(dir() / "layout");
        image = layout.add_image("amd64", {{"small.txt", "small\n"}, {"big.bin", std::string(300000, 'b')}});
        const std::string manifest_type(sources::oci::media_types::k_oci_manifest);
        server.serve_bytes("/v2/", "{}", "application/json");
        server.serve_bytes("/v2/demo/fake/manifests/1.0", image.manifest_bytes, manifest_type);
        server.serve_bytes(manifest_path(), image.manifest_bytes, manifest_type);
        server.serve_bytes(blob_path(image.config.digest),
                           read_text(dir() / "layout/blobs/sha256" / image.config.digest.substr(7)));
        for (std::size_t i = 0; i < image.layers.size(); ++i)
            server.serve_bytes(blob_path(image.layers[i].digest), image.layer_bytes[i]);
        host = "127.0.0.1:" + std::to_string(server.port());
    }

    std::string manifest_path() const { return "/v2/demo/fake/manifests/" + image.manifest.digest; }
    static std::string blob_path(const std::string& digest) { return "/v2/demo/fake/blobs/" + digest; }
    std::string big_layer() const { return blob_path(image.layers[1].digest); }

    RunResult pack(const std::string& reference = "demo/fake:1.0")
    {
        const auto manifest = dir() / "manifest.yaml";
        write_text(manifest, "apiVersion: gapbundle/v1\nname: faults\nimages:\n  - " + host + "/" + reference +
                                 "\nregistries:\n  \"" + host + "\": { insecure: true }\n");
        return gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", bundle().string(), "--cache-dir",
                          cache().string(), "--retries", "3"});
    }

    stdfs::path bundle() const { return dir() / "images.tar"; }
    bool cached(const std::string& digest) const { return stdfs::exists(cache() / "blobs/sha256" / digest.substr(7)); }

    HttpTestServer server;
    BuiltImage image;
    std::string host;
};

TEST_F(ImagesFaultsTest, ALayerDroppedMidwayIsResumed)
{
    server.drop_after(big_layer(), 100000);
    auto result = pack();
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    const auto requests = server.requests_to(big_layer());
    ASSERT_GE(requests.size(), 2u);
    EXPECT_EQ(requests.back().header("Range").value_or(""), "bytes=100000-");
    EXPECT_TRUE(cached(image.layers[1].digest));
}

TEST_F(ImagesFaultsTest, TooManyRequestsWithRetryAfterIsWaitedOut)
{
    server.fail_times("/v2/demo/fake/manifests/1.0", 1, 429, {{"Retry-After", "1"}});
    server.fail_times(big_layer(), 1, 429, {{"Retry-After", "1"}});
    auto result = pack();
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    EXPECT_GE(server.requests(big_layer()), 2);
}

TEST_F(ImagesFaultsTest, ARateLimitThatLastsIsAClearError)
{
    server.fail_times("/v2/demo/fake/manifests/1.0", -1, 429, {{"Retry-After", "0"}});
    auto result = pack();
    EXPECT_EQ(result.status, 3) << result.err;
    EXPECT_NE(result.err.find("too many requests (HTTP 429)"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(host + "/demo/fake:1.0"), std::string::npos) << result.err;
    EXPECT_FALSE(stdfs::exists(bundle()));
}

TEST_F(ImagesFaultsTest, ALayerWhoseBytesDifferFromItsDigestIsRejectedAndNotStored)
{
    server.wrong_bytes(big_layer());
    auto result = pack();
    EXPECT_EQ(result.status, 3) << result.err;
    EXPECT_NE(result.err.find(image.layers[1].digest), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("sha256 mismatch"), std::string::npos) << result.err;
    EXPECT_FALSE(cached(image.layers[1].digest));
    EXPECT_TRUE(cached(image.layers[0].digest));  // what did arrive is kept for the next run
    EXPECT_FALSE(stdfs::exists(bundle()));
    // The next run fetches only what is missing.
    server.clear_log();
    server.wrong_bytes(big_layer(), 0);
    auto again = pack();
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(server.requests(blob_path(image.layers[0].digest)), 0);
}

TEST_F(ImagesFaultsTest, APinnedManifestWithOtherBytesIsRejected)
{
    server.wrong_bytes(manifest_path());
    auto result = pack("demo/fake@" + image.manifest.digest);
    EXPECT_EQ(result.status, 3) << result.err;
    EXPECT_NE(result.err.find("manifest digest mismatch"), std::string::npos) << result.err;
    EXPECT_FALSE(cached(image.manifest.digest));
}

TEST_F(ImagesFaultsTest, ABlobRefusedWithAnExpiredTokenIsFetchedAgainWithANewOne)
{
    // Manifests are open; blobs want a bearer token, and the first token the server hands out
    // is no longer accepted by the time the blobs are asked for.
    server.fail_times("/v2/", -1, 401,
                      {{"WWW-Authenticate", "Bearer realm=\"" + server.url("/token") + "\",service=\"fake\""}});
    server.serve_sequence("/token", {R"({"token":"expired"})", R"({"token":"fresh"})"});
    for (const auto& blob : {image.config.digest, image.layers[0].digest, image.layers[1].digest})
        server.require_bearer(blob_path(blob), "fresh");
    auto result = pack();
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(server.requests("/token"), 2);
    EXPECT_EQ(server.last_header(big_layer(), "Authorization").value_or(""), "Bearer fresh");
}

}  // namespace
}  // namespace gapbundle::testing
