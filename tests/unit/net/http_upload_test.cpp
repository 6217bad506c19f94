#include "engine_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/net/http_request.hpp>

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

class HttpUploadTest : public TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        m_content = random_bytes(3 * 1024 * 1024 + 17, 7);
        m_file = dir() / "blob.bin";
        write_text(m_file, m_content);
    }

    net::HttpRequest upload(const std::string& path, std::string method, std::uint64_t offset, std::uint64_t length)
    {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = m_server.url(path);
        request.upload_file = m_file;
        request.upload_offset = offset;
        request.upload_length = length;
        return request;
    }

    HttpTestServer m_server;
    net::EngineOptions m_options = fast_options();
    std::string m_content;
    std::filesystem::path m_file;
};

TEST_F(HttpUploadTest, PutsTheWholeFile)
{
    m_server.accept_uploads("/up", 201, {{"Location", "/done"}});
    auto response = net::send(upload("/up", "PUT", 0, m_content.size()), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->header("Location"), "/done");
    const auto seen = m_server.requests_to("/up");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "PUT");
    EXPECT_EQ(seen[0].body_size, m_content.size());
    EXPECT_EQ(seen[0].body_sha256, crypto::sha256_hex(m_content));
    EXPECT_EQ(seen[0].header("Content-Length"), std::to_string(m_content.size()));
}

TEST_F(HttpUploadTest, PatchesARegion)
{
    m_server.accept_uploads("/up", 202);
    const std::uint64_t offset = 1000, length = 65536 + 3;
    auto request = upload("/up", "PATCH", offset, length);
    request.headers = {"Content-Range: 1000-66538"};
    auto response = net::send(request, m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 202);
    const auto seen = m_server.requests_to("/up");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "PATCH");
    EXPECT_EQ(seen[0].header("Content-Range"), "1000-66538");
    EXPECT_EQ(seen[0].body_size, length);
    EXPECT_EQ(seen[0].body_sha256, crypto::sha256_hex(std::string_view(m_content).substr(offset, length)));
}

TEST_F(HttpUploadTest, SendsAnEmptyRegion)
{
    m_server.accept_uploads("/up");
    auto response = net::send(upload("/up", "PUT", m_content.size(), 0), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(m_server.requests_to("/up").at(0).body_size, 0u);
}

TEST_F(HttpUploadTest, RetryReadsTheRegionFromItsStart)
{
    m_server.accept_uploads("/up");
    m_server.fail_times("/up", 2, 503, {{"Retry-After", "0"}});
    const std::uint64_t offset = 5, length = m_content.size() - 10;
    auto response = net::send(upload("/up", "PUT", offset, length), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    const auto seen = m_server.requests_to("/up");
    ASSERT_EQ(seen.size(), 3u);
    const std::string expected = crypto::sha256_hex(std::string_view(m_content).substr(offset, length));
    for (const auto& request : seen) {
        EXPECT_EQ(request.body_size, length);
        EXPECT_EQ(request.body_sha256, expected);
    }
}

TEST_F(HttpUploadTest, ResendsTheBodyAfterA307)
{
    m_server.redirect("/up", "/moved", 307);
    m_server.accept_uploads("/moved");
    auto response = net::send(upload("/up", "PUT", 0, m_content.size()), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->effective_url, m_server.url("/moved"));
    const auto seen = m_server.requests_to("/moved");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "PUT");
    EXPECT_EQ(seen[0].body_size, m_content.size());
    EXPECT_EQ(seen[0].body_sha256, crypto::sha256_hex(m_content));
}

TEST_F(HttpUploadTest, RefusesARegionPastTheEndOfTheFile)
{
    auto response = net::send(upload("/up", "PUT", 10, m_content.size()), m_options);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::io);
    EXPECT_NE(response.error().message.find(m_file.string() + ": shorter ("), std::string::npos)
        << response.error().message;
    EXPECT_EQ(m_server.requests("/up"), 0);
}

TEST_F(HttpUploadTest, NamesAMissingFile)
{
    auto request = upload("/up", "PUT", 0, 1);
    request.upload_file = dir() / "absent.bin";
    auto response = net::send(request, m_options);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::io);
    EXPECT_EQ(response.error().message, (dir() / "absent.bin").string() + ": No such file or directory");
}

TEST_F(HttpUploadTest, RefusesAFileWithPost)
{
    auto response = net::send(upload("/up", "POST", 0, 1), m_options);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::internal);
}

}  // namespace
}  // namespace gapbundle::testing
