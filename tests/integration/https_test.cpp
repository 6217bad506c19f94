// HTTPS downloads: the server's certificate is checked against --ca-bundle or SSL_CERT_FILE.
#include "support/http_test_server.hpp"
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class HttpsTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        auto made = run_program("/usr/bin/openssl",
                                {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                 "-keyout", (dir() / "tls.key").string(), "-out", (dir() / "tls.pem").string(), "-days",
                                 "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                                dir());
        ASSERT_EQ(made.status, 0) << made.err;
        server = std::make_unique<HttpTestServer>(TlsFiles{dir() / "tls.pem", dir() / "tls.key"});
        server->serve_bytes("/weights.bin", std::string(100000, 'q'));
        manifest = write_manifest("  - url: " + server->url("/weights.bin") + "\n");
    }

    RunResult pack(const std::string& name, std::vector<std::string> extra, const std::vector<std::string>& env = {})
    {
        std::vector<std::string> args{"pack", manifest.string(), "--key", key().string(), "-o", (dir() / name).string(),
                                      "--cache-dir", (dir() / ("cache-" + name)).string(), "--retries", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args, env);
    }

    std::unique_ptr<HttpTestServer> server;
    stdfs::path manifest;
};

TEST_F(HttpsTest, RefusesAnUnknownCertificate)
{
    auto packed = pack("a.tar", {}, {"SSL_CERT_FILE=/nonexistent-ca.pem"});
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find(server->url("/weights.bin")), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(dir() / "a.tar"));
}

TEST_F(HttpsTest, TrustsTheCaBundleFlag)
{
    auto packed = pack("b.tar", {"--ca-bundle", (dir() / "tls.pem").string()});
    ASSERT_EQ(packed.status, 0) << packed.err;
    auto unpack = gapbundle({"unpack", (dir() / "b.tar").string(), "--trust", pub().string(), "--to", (dir() / "o").string()});
    ASSERT_EQ(unpack.status, 0) << unpack.out;
    EXPECT_EQ(read_text(dir() / "o/files/weights.bin"), std::string(100000, 'q'));
}

TEST_F(HttpsTest, TrustsSslCertFile)
{
    auto packed = pack("c.tar", {}, {"SSL_CERT_FILE=" + (dir() / "tls.pem").string()});
    EXPECT_EQ(packed.status, 0) << packed.err;
}

}  // namespace
}  // namespace gapbundle::testing
