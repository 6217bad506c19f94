// Big files fetched as parallel byte ranges: which requests go out, resume after a drop, the
// fallback for servers that ignore Range, and every way it can fail.
#include "engine_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gmock/gmock.h>

#include <algorithm>
#include <set>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::uint64_t k_chunk = 64 * 1024;

// Files of 256 KiB and more go as ranges of 64 KiB.
net::EngineOptions ranged_options()
{
    net::EngineOptions options = fast_options();
    options.range_chunk_size = k_chunk;
    options.range_min_size = 4 * k_chunk;
    return options;
}

std::set<std::string> range_headers(const std::vector<RecordedRequest>& requests)
{
    std::set<std::string> out;
    for (const auto& r : requests) out.insert(r.header("Range").value_or("(none)"));
    return out;
}

class HttpEngineRangesTest : public HttpEngineTest {
protected:
    // A served body of `size` bytes and a request that knows its size and sha256.
    net::DownloadRequest big_file(const std::string& path, std::size_t size, unsigned seed = 7)
    {
        body = random_bytes(size, seed);
        server.serve_bytes(path, body);
        auto request = request_for(path, "huggingface[0]");
        request.expected_size = body.size();
        request.expected_sha256 = crypto::sha256_hex(body);
        return request;
    }

    std::string body;
};

TEST_F(HttpEngineRangesTest, FetchesBigFileAsConsecutiveRanges)
{
    const auto request = big_file("/big.safetensors", 10 * k_chunk + 123);
    std::vector<net::Progress> seen;
    auto results = download_all({request}, ranged_options(), [&](const net::Progress& p) { seen.push_back(p); });
    ASSERT_TRUE(results[0]) << results[0].error().message;
    EXPECT_EQ(results[0]->ranges, 11u);
    EXPECT_EQ(results[0]->http_status, 206);
    EXPECT_EQ(results[0]->bytes, body.size());
    EXPECT_EQ(results[0]->sha256, crypto::sha256_hex(body));
    EXPECT_EQ(read_text(request.destination), body);

    std::set<std::string> expected;
    for (std::uint64_t start = 0; start < body.size(); start += k_chunk)
        expected.insert("bytes=" + std::to_string(start) + "-" + std::to_string(std::min<std::uint64_t>(start + k_chunk, body.size()) - 1));
    const auto sent = server.requests_to("/big.safetensors");
    EXPECT_EQ(sent.size(), 11u);
    EXPECT_EQ(range_headers(sent), expected);

    ASSERT_FALSE(seen.empty());  // one request for the caller, whatever the number of ranges
    EXPECT_EQ(seen.back().transfers_total, 1u);
    EXPECT_EQ(seen.back().transfers_done, 1u);
    EXPECT_EQ(seen.back().bytes_done, body.size());
    EXPECT_EQ(seen.back().bytes_total, body.size());
}

TEST_F(HttpEngineRangesTest, SmallFilesAndUnknownSizesGoWhole)
{
    auto small = big_file("/small", 4 * k_chunk - 1);
    auto unknown = request_for("/small", "files[1]");
    auto results = download_all({small, unknown}, ranged_options());
    ASSERT_TRUE(results[0]) << results[0].error().message;
    ASSERT_TRUE(results[1]) << results[1].error().message;
    EXPECT_EQ(results[0]->ranges, 1u);
    EXPECT_EQ(results[1]->ranges, 1u);
    EXPECT_EQ(range_headers(server.requests_to("/small")), std::set<std::string>{"(none)"});
}

TEST_F(HttpEngineRangesTest, RangesCanBeTurnedOff)
{
    const auto request = big_file("/big", 8 * k_chunk);
    auto options = ranged_options();
    options.range_chunk_size = 0;
    EXPECT_EQ(download_one(request, options).ranges, 1u);
    EXPECT_EQ(server.requests("/big"), 1);
}

TEST_F(HttpEngineRangesTest, EachRangeFollowsTheRedirect)
{
    auto request = big_file("/storage/blob", 6 * k_chunk);
    server.redirect("/resolve/main/model.bin", "/storage/blob");
    request.url = server.url("/resolve/main/model.bin");
    const auto result = download_one(request, ranged_options());
    EXPECT_EQ(result.ranges, 6u);
    EXPECT_EQ(read_text(request.destination), body);
    EXPECT_EQ(server.requests("/resolve/main/model.bin"), 6);
    EXPECT_EQ(server.requests("/storage/blob"), 6);
}

TEST_F(HttpEngineRangesTest, DroppedRangesResumeWhereTheyStopped)
{
    const auto request = big_file("/big", 8 * k_chunk);
    server.drop_after("/big", 10000, 3);
    const auto result = download_one(request, ranged_options());
    EXPECT_EQ(result.sha256, crypto::sha256_hex(body));
    EXPECT_EQ(read_text(request.destination), body);
    EXPECT_EQ(result.attempts, 2);
    const auto sent = server.requests_to("/big");
    EXPECT_EQ(sent.size(), 8u + 3u);
    // Each resumed attempt asks for the rest of its range only.
    int resumed = 0;
    for (const auto& r : sent) {
        const std::string range = r.header("Range").value_or("");
        const auto start = std::stoull(range.substr(6));
        if (start % k_chunk == 10000) {
            ++resumed;
            EXPECT_EQ(range, "bytes=" + std::to_string(start) + "-" + std::to_string(start - 10000 + k_chunk - 1));
        }
    }
    EXPECT_EQ(resumed, 3);
}

TEST_F(HttpEngineRangesTest, ServerIgnoringRangeGetsOneWholeRequest)
{
    const auto request = big_file("/big", 8 * k_chunk);
    server.ignore_range("/big");
    const auto result = download_one(request, ranged_options());
    EXPECT_EQ(result.ranges, 1u);
    EXPECT_EQ(result.http_status, 200);
    EXPECT_EQ(read_text(request.destination), body);
    const auto sent = server.requests_to("/big");
    // The ranges running when the server answered 200 (at most `jobs`), then the whole file;
    // the ranges not started yet send nothing.
    ASSERT_GE(sent.size(), 2u);
    EXPECT_LE(sent.size(), 4u + 1u);
    EXPECT_FALSE(sent.back().header("Range"));
}

TEST_F(HttpEngineRangesTest, HashMismatchRemovesTheFile)
{
    const auto request = big_file("/big", 8 * k_chunk);
    server.wrong_bytes("/big");
    const Error error = expect_failure(request, ranged_options());
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_THAT(error.message, HasSubstr("huggingface[0]"));
    EXPECT_THAT(error.message, HasSubstr("sha256 mismatch: expected " + *request.expected_sha256));
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineRangesTest, ServerCopyOfAnotherSizeIsRefused)
{
    auto request = big_file("/big", 8 * k_chunk);
    request.expected_size = body.size() + 1;
    request.expected_sha256.reset();
    const Error error = expect_failure(request, ranged_options());
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_THAT(error.message, HasSubstr("size mismatch: expected " + std::to_string(body.size() + 1)));
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineRangesTest, RangeNotSatisfiableIsASizeMismatchNotARetry)
{
    const auto request = big_file("/big", 8 * k_chunk);
    server.fail_times("/big", -1, 416);
    const Error error = expect_failure(request, ranged_options());
    EXPECT_EQ(error.code, ErrorCode::download);
    EXPECT_THAT(error.message, HasSubstr("HTTP 416"));
    EXPECT_THAT(error.message, HasSubstr("not the expected " + std::to_string(body.size()) + " bytes"));
    EXPECT_LE(server.requests("/big"), 4);  // no retries, no ranges started after the failure
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineRangesTest, ARangeFailingStopsTheOthers)
{
    auto request = request_for("/gone", "huggingface[3]");
    request.expected_size = 40 * k_chunk;
    write_text(request.destination, "stale");
    const Error error = expect_failure(request, ranged_options());
    EXPECT_EQ(error.code, ErrorCode::network);
    EXPECT_THAT(error.message, HasSubstr("huggingface[3]"));
    EXPECT_THAT(error.message, HasSubstr("404"));
    EXPECT_FALSE(stdfs::exists(request.destination));
    // Only the ranges already running asked; the other 36 never went out.
    EXPECT_LE(server.requests("/gone"), 4);
}

TEST_F(HttpEngineRangesTest, RangedAndWholeFilesShareOneBatch)
{
    std::vector<net::DownloadRequest> requests;
    std::vector<std::string> bodies;
    for (unsigned i = 0; i < 6; ++i) {
        const std::string path = "/mixed/" + std::to_string(i);
        bodies.push_back(random_bytes(i % 2 ? 5 * k_chunk + i : 1000 + i, i));
        server.serve_bytes(path, bodies.back());
        auto request = request_for(path, "files[" + std::to_string(i) + "]");
        request.expected_size = bodies.back().size();
        request.expected_sha256 = crypto::sha256_hex(bodies.back());
        requests.push_back(request);
    }
    auto results = download_all(requests, ranged_options());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        ASSERT_TRUE(results[i]) << results[i].error().message;
        EXPECT_EQ(results[i]->ranges, i % 2 ? 6u : 1u);
        EXPECT_EQ(read_text(requests[i].destination), bodies[i]);
    }
}

}  // namespace
}  // namespace gapbundle::testing
