#include "engine_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gmock/gmock.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

TEST_F(HttpEngineTest, RetriesAfterServiceUnavailable)
{
    const std::string body = random_bytes(20000, 1);
    server.serve_bytes("/flaky", body);
    server.fail_times("/flaky", 2, 503);
    auto request = request_for("/flaky");
    request.expected_sha256 = crypto::sha256_hex(body);
    const auto result = download_one(request);
    EXPECT_EQ(result.attempts, 3);
    EXPECT_EQ(server.requests("/flaky"), 3);
    EXPECT_EQ(read_text(request.destination), body);
}

TEST_F(HttpEngineTest, HonoursRetryAfterOnTooManyRequests)
{
    server.serve_bytes("/limited", "payload");
    server.fail_times("/limited", 1, 429, {{"Retry-After", "1"}});
    const auto start = Clock::now();
    const auto result = download_one(request_for("/limited"));
    const auto waited = Clock::now() - start;
    EXPECT_EQ(result.attempts, 2);
    EXPECT_GE(waited, std::chrono::milliseconds(950));
    EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(HttpEngineTest, CapsRetryAfter)
{
    server.serve_bytes("/limited", "payload");
    server.fail_times("/limited", 1, 503, {{"Retry-After", "3600"}});
    auto options = fast_options();
    options.retry_after_max = std::chrono::seconds(1);
    const auto start = Clock::now();
    download_one(request_for("/limited"), options);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

TEST_F(HttpEngineTest, ResumesAfterDroppedConnection)
{
    const std::string body = random_bytes(300000, 2);
    server.serve_bytes("/big.bin", body);
    server.drop_after("/big.bin", 100000);
    auto request = request_for("/big.bin");
    request.expected_sha256 = crypto::sha256_hex(body);
    request.expected_size = body.size();
    const auto result = download_one(request);
    EXPECT_EQ(result.attempts, 2);
    EXPECT_EQ(result.http_status, 206);
    EXPECT_EQ(result.sha256, crypto::sha256_hex(body));
    const auto seen = server.requests_to("/big.bin");
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_FALSE(seen[0].header("Range"));
    EXPECT_EQ(seen[1].header("Range"), "bytes=100000-");
    EXPECT_EQ(read_text(request.destination), body);
}

TEST_F(HttpEngineTest, ResumesAfterSeveralDrops)
{
    const std::string body = random_bytes(200000, 3);
    server.serve_bytes("/big.bin", body);
    server.drop_after("/big.bin", 30000, 3);
    auto request = request_for("/big.bin");
    request.expected_sha256 = crypto::sha256_hex(body);
    const auto result = download_one(request);
    EXPECT_EQ(result.attempts, 4);
    EXPECT_EQ(server.last_header("/big.bin", "Range"), "bytes=90000-");
    EXPECT_EQ(read_text(request.destination), body);
}

TEST_F(HttpEngineTest, RestartsWhenServerIgnoresRange)
{
    const std::string body = random_bytes(150000, 4);
    server.serve_bytes("/norange", body);
    server.drop_after("/norange", 60000);
    server.ignore_range("/norange");
    auto request = request_for("/norange");
    request.expected_sha256 = crypto::sha256_hex(body);
    request.expected_size = body.size();
    const auto result = download_one(request);
    EXPECT_EQ(result.attempts, 2);
    EXPECT_EQ(result.http_status, 200);
    EXPECT_EQ(server.last_header("/norange", "Range"), "bytes=60000-");
    EXPECT_EQ(result.sha256, crypto::sha256_hex(body));
    EXPECT_EQ(read_text(request.destination), body);
}

TEST_F(HttpEngineTest, TimesOutWhenServerStalls)
{
    server.serve_bytes("/slow", random_bytes(50000, 5));
    server.stall("/slow", std::chrono::seconds(8), 0, -1);
    auto options = fast_options();
    options.stall_timeout = std::chrono::seconds(1);
    options.max_attempts = 1;
    auto request = request_for("/slow");
    const auto start = Clock::now();
    const Error error = expect_failure(request, options);
    const auto took = Clock::now() - start;
    EXPECT_EQ(error.code, ErrorCode::network);
    EXPECT_THAT(error.message, HasSubstr("files[0]: " + request.url + ": "));
    EXPECT_THAT(error.message, HasSubstr("too slow"));
    EXPECT_GE(took, std::chrono::milliseconds(900));
    EXPECT_LT(took, std::chrono::seconds(5));
    EXPECT_FALSE(stdfs::exists(request.destination));
}

// libcurl averages the speed over the last ~5 s, so a stall after a burst is seen ~5 s late.
TEST_F(HttpEngineTest, ResumesAfterStall)
{
    const std::string body = random_bytes(50000, 6);
    server.serve_bytes("/slow", body);
    server.stall("/slow", std::chrono::seconds(8), 20000, 1);
    auto options = fast_options();
    options.stall_timeout = std::chrono::seconds(1);
    auto request = request_for("/slow");
    request.expected_sha256 = crypto::sha256_hex(body);
    const auto result = download_one(request, options);
    EXPECT_EQ(result.attempts, 2);
    EXPECT_EQ(server.last_header("/slow", "Range"), "bytes=20000-");
    EXPECT_EQ(read_text(request.destination), body);
}

}  // namespace
}  // namespace gapbundle::testing
