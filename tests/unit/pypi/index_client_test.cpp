#include "pypi_fixtures.hpp"

#include <gapbundle/sources/pypi/index_client.hpp>

#include "../../support/http_test_server.hpp"
#include "../../support/test_dir.hpp"
#include "zip_writer.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace gapbundle::sources::pypi {
namespace {

using testing::HttpTestServer;
using testing::make_wheel;
using testing::WheelLayout;

const std::string k_json = "application/vnd.pypi.simple.v1+json";
const std::string k_file = "demo_pkg-1.0-py3-none-any.whl";
const std::string k_wheel_path = "/files/" + k_file;
const std::string k_metadata =
    "Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: 1.0\nRequires-Python: >=3.8\n"
    "Requires-Dist: idna>=3\nRequires-Dist: pysocks; extra == 'socks'\nProvides-Extra: socks\n";

net::EngineOptions quick()
{
    return fixtures::quick_engine();
}

class IndexClientTest : public testing::TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        server.serve_bytes(k_wheel_path, make_wheel("demo_pkg-1.0.dist-info", k_metadata, WheelLayout::metadata_first));
    }

    // A PEP 691 page for demo-pkg; `core_metadata` is the JSON value of "core-metadata" or empty.
    void serve_json(const std::string& core_metadata, const std::string& path = "/simple/demo-pkg/")
    {
        std::string file = R"({"filename": ")" + k_file + R"(", "url": ")" + server.url(k_wheel_path) +
                           R"(", "hashes": {}, "requires-python": ">=3.8", "size": 1)";
        if (!core_metadata.empty()) file += R"(, "core-metadata": )" + core_metadata;
        file += "}";
        server.serve_bytes(
            path,
            R"({"meta": {"api-version": "1.1"}, "name": "demo-pkg", "versions": ["1.0"], "files": [)" + file + "]}",
            k_json);
    }

    IndexClient client(net::Credentials credentials = {}, net::EngineOptions options = quick())
    {
        return IndexClient(server.url("/simple/"), std::move(credentials), std::move(options));
    }

    Result<IndexFile> first_file(IndexClient& c)
    {
        auto page = c.project("Demo.Pkg");
        if (!page) return std::unexpected(page.error());
        if (page->files.empty()) return fail(ErrorCode::internal, "no files");
        return page->files.front();
    }

    HttpTestServer server;
};

TEST_F(IndexClientTest, ReadsAJsonProjectPageOnce)
{
    serve_json("");
    IndexClient c = client();
    auto page = c.project("Demo.Pkg");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->name, "demo-pkg");
    ASSERT_EQ(page->files.size(), 1u);
    EXPECT_EQ(page->files[0].url, server.url(k_wheel_path));
    EXPECT_EQ(server.last_header("/simple/demo-pkg/", "Accept"), std::string(k_simple_accept));
    ASSERT_TRUE(c.project("demo_pkg"));
    EXPECT_EQ(server.requests("/simple/demo-pkg/"), 1);
}

TEST_F(IndexClientTest, ReadsAnHtmlOnlyProjectPage)
{
    const std::string sha = crypto::sha256_hex(k_metadata);
    server.serve_bytes("/simple/demo-pkg/",
                       "<!DOCTYPE html><html><body><a href=\"../../files/" + k_file +
                           "#sha256=" + std::string(64, 'a') +
                           "\" data-requires-python=\"&gt;=3.8\" data-core-metadata=\"sha256=" + sha + "\">" + k_file +
                           "</a></body></html>",
                       "text/html; charset=utf-8");
    server.serve_bytes(k_wheel_path + ".metadata", k_metadata);
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->url, server.url(k_wheel_path));
    EXPECT_EQ(file->requires_python, ">=3.8");
    auto m = c.metadata(*file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->requires_dist, (std::vector<std::string>{"idna>=3", "pysocks; extra == 'socks'"}));
    EXPECT_EQ(server.requests(k_wheel_path), 0);
}

TEST_F(IndexClientTest, UsesThePep658MetadataFileOnce)
{
    serve_json(R"({"sha256": ")" + crypto::sha256_hex(k_metadata) + R"("})");
    server.serve_bytes(k_wheel_path + ".metadata", k_metadata);
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->name, "Demo.Pkg");
    EXPECT_EQ(m->provides_extra, std::vector<std::string>{"socks"});
    ASSERT_TRUE(c.metadata(*file));
    EXPECT_EQ(server.requests(k_wheel_path + ".metadata"), 1);
    EXPECT_EQ(server.requests(k_wheel_path), 0);
}

TEST_F(IndexClientTest, RejectsAMetadataFileWithTheWrongHash)
{
    const std::string claimed(64, 'b');
    serve_json(R"({"sha256": ")" + claimed + R"("})");
    server.serve_bytes(k_wheel_path + ".metadata", k_metadata);
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::download);
    EXPECT_EQ(m.error().message, server.url(k_wheel_path) + ".metadata: sha256 mismatch: the index says " + claimed +
                                     ", the file has " + crypto::sha256_hex(k_metadata));
}

TEST_F(IndexClientTest, ReadsTheWheelWithRangesWithoutAMetadataFile)
{
    serve_json("");
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->requires_python, ">=3.8");
    EXPECT_EQ(server.requests(k_wheel_path + ".metadata"), 0);
    const auto requests = server.requests_to(k_wheel_path);
    EXPECT_EQ(requests.size(), 2u);
    for (const auto& r : requests) EXPECT_TRUE(r.header("Range")) << "a request for the whole wheel";
}

TEST_F(IndexClientTest, FallsBackToTheWheelWhenTheMetadataFileIsMissing)
{
    serve_json("true");
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(server.requests(k_wheel_path + ".metadata"), 1);
    EXPECT_EQ(server.requests(k_wheel_path), 2);
}

TEST_F(IndexClientTest, RejectsMetadataOfAnotherVersion)
{
    serve_json("true");
    server.serve_bytes(k_wheel_path + ".metadata", "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 2.0\n");
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, k_file + ": its metadata is for demo-pkg 2.0, not demo_pkg 1.0");
}

TEST_F(IndexClientTest, RefusesSdistsWithoutAMetadataFile)
{
    IndexClient c = client();
    IndexFile sdist{.filename = "demo_pkg-1.0.tar.gz",
                    .url = server.url("/files/demo_pkg-1.0.tar.gz"),
                    .sha256 = {},
                    .requires_python = {},
                    .yanked = false,
                    .yanked_reason = {},
                    .has_metadata = false,
                    .metadata_sha256 = std::nullopt,
                    .size = std::nullopt};
    auto m = c.metadata(sdist);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "demo_pkg-1.0.tar.gz: no core metadata without building the sdist");
}

TEST_F(IndexClientTest, ReportsAMissingProject)
{
    IndexClient c = client();
    auto page = c.project("Nope");
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::download);
    EXPECT_EQ(page.error().message, "no project 'Nope' on " + server.url("/simple"));
}

TEST_F(IndexClientTest, ReportsAccessDeniedWithoutTheSecret)
{
    serve_json("");
    server.require_basic_auth("/simple/demo-pkg/", "alice", "s3cret-token");
    server.require_basic_auth(k_wheel_path, "alice", "s3cret-token");
    const std::string expected = "access denied (HTTP 401) to " + server.url("/simple/demo-pkg/") +
                                 "; check the credentials for " + server.url("/simple");
    IndexClient anonymous = client();
    auto page = anonymous.project("demo-pkg");
    ASSERT_FALSE(page);
    EXPECT_EQ(exit_status_for(page.error().code), 3);
    EXPECT_EQ(page.error().message, expected);

    IndexClient wrong = client({net::Credentials::Kind::basic, "alice", "wrong-secret"});
    auto denied = wrong.project("demo-pkg");
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().message, expected);

    IndexClient right = client({net::Credentials::Kind::basic, "alice", "s3cret-token"});
    auto file = first_file(right);
    ASSERT_TRUE(file) << file.error().message;
    auto m = right.metadata(*file);  // the wheel is on the index's host: the credentials go along
    ASSERT_TRUE(m) << m.error().message;
}

TEST_F(IndexClientTest, ReportsAccessDeniedToTheMetadataFile)
{
    serve_json("true");
    server.serve_bytes(k_wheel_path + ".metadata", k_metadata);
    server.require_basic_auth(k_wheel_path + ".metadata", "alice", "s3cret-token");
    IndexClient c = client();
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    auto m = c.metadata(*file);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "access denied (HTTP 401) to " + server.url(k_wheel_path) +
                                     ".metadata; check the credentials for " + server.url("/simple"));
    EXPECT_EQ(server.requests(k_wheel_path), 0);
}

TEST_F(IndexClientTest, SendsNoCredentialsToAnotherHost)
{
    // The page lists the wheel on "localhost", another host than the index's 127.0.0.1.
    server.serve_bytes("/simple/demo-pkg/",
                       R"({"meta": {"api-version": "1.0"}, "name": "demo-pkg", "files": [{"filename": ")" + k_file +
                           R"(", "url": ")" + server.url_on("localhost", k_wheel_path) + R"(", "hashes": {}}]})",
                       k_json);
    IndexClient c = client({net::Credentials::Kind::basic, "alice", "s3cret-token"});
    auto file = first_file(c);
    ASSERT_TRUE(file) << file.error().message;
    ASSERT_TRUE(c.metadata(*file));
    EXPECT_TRUE(server.last_header("/simple/demo-pkg/", "Authorization"));
    EXPECT_FALSE(server.last_header(k_wheel_path, "Authorization"));
}

TEST_F(IndexClientTest, UsesNetrcWhenNoCredentialsAreGiven)
{
    serve_json("");
    server.require_basic_auth("/simple/demo-pkg/", "alice", "s3cret-token");
    const auto netrc = dir() / "netrc";
    testing::write_text(netrc, "machine 127.0.0.1 login alice password s3cret-token\n");
    ::setenv("NETRC", netrc.c_str(), 1);
    net::EngineOptions options = quick();
    options.use_netrc = true;
    IndexClient c = client({}, options);
    auto page = c.project("demo-pkg");
    ::unsetenv("NETRC");
    ASSERT_TRUE(page) << page.error().message;
}

}  // namespace
}  // namespace gapbundle::sources::pypi
