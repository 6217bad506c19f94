#include "engine_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

TEST_F(HttpEngineTest, FailsOnSha256Mismatch)
{
    const std::string body = random_bytes(40000, 10);
    server.serve_bytes("/tampered", body);
    server.wrong_bytes("/tampered");
    std::string corrupted = body;
    corrupted[0] = static_cast<char>(~corrupted[0]);
    auto request = request_for("/tampered", "files[3]");
    request.expected_sha256 = crypto::sha256_hex(body);
    const Error error = expect_failure(request);
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_EQ(error.message, "files[3]: " + request.url + ": sha256 mismatch: expected " + crypto::sha256_hex(body) +
                                 ", got " + crypto::sha256_hex(corrupted));
    EXPECT_FALSE(stdfs::exists(request.destination));
    EXPECT_EQ(server.requests("/tampered"), 1);  // not retried: the server is consistent
}

TEST_F(HttpEngineTest, FailsWhenBodyIsShorterThanExpected)
{
    server.serve_bytes("/short", std::string(1000, 'a'));
    auto request = request_for("/short");
    request.expected_size = 1001;
    const Error error = expect_failure(request);
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_EQ(error.message, "files[0]: " + request.url + ": size mismatch: expected 1001 bytes, got 1000");
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineTest, StopsWhenBodyIsLongerThanExpected)
{
    server.serve_bytes("/long", std::string(100000, 'a'));
    auto request = request_for("/long");
    request.expected_size = 999;
    const Error error = expect_failure(request);
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_EQ(error.message.rfind("files[0]: " + request.url + ": size mismatch: expected 999 bytes, got at least ", 0), 0u)
        << error.message;
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineTest, AcceptsUppercaseExpectedSha256)
{
    server.serve_bytes("/f", "content");
    auto request = request_for("/f");
    std::string upper = crypto::sha256_hex("content");
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    request.expected_sha256 = upper;
    download_one(request);
}

TEST_F(HttpEngineTest, ReportsUnwritableDestination)
{
    server.serve_bytes("/f", "content");
    auto request = request_for("/f");
    request.destination = dir() / "no-such-folder" / "f";
    const Error error = expect_failure(request);
    EXPECT_EQ(error.code, ErrorCode::io);
    EXPECT_EQ(error.message, "files[0]: " + request.url + ": cannot create " + request.destination.string() +
                                 ": No such file or directory");
}

}  // namespace
}  // namespace gapbundle::testing
