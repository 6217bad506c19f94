#include "engine_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gmock/gmock.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using ::testing::HasSubstr;

TEST_F(HttpEngineTest, DownloadsManyFilesInParallel)
{
    std::vector<net::DownloadRequest> requests;
    std::vector<std::string> bodies;
    for (unsigned i = 0; i < 24; ++i) {
        bodies.push_back(random_bytes(i * 13001, i));
        const std::string path = "/many/" + std::to_string(i);
        server.serve_bytes(path, bodies.back());
        auto request = request_for(path, "files[" + std::to_string(i) + "]");
        request.expected_sha256 = crypto::sha256_hex(bodies.back());
        request.expected_size = bodies.back().size();
        requests.push_back(request);
    }
    std::vector<net::Progress> seen;
    auto results = download_all(requests, fast_options(), [&](const net::Progress& p) { seen.push_back(p); });

    ASSERT_EQ(results.size(), requests.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i]) << results[i].error().message;
        EXPECT_EQ(results[i]->sha256, crypto::sha256_hex(bodies[i]));
        EXPECT_EQ(results[i]->bytes, bodies[i].size());
        EXPECT_EQ(results[i]->attempts, 1);
        EXPECT_EQ(results[i]->http_status, 200);
        EXPECT_EQ(read_text(requests[i].destination), bodies[i]);
    }
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().transfers_done, requests.size());
    EXPECT_EQ(seen.back().transfers_total, requests.size());
    EXPECT_EQ(seen.back().bytes_done, seen.back().bytes_total);
}

TEST_F(HttpEngineTest, DownloadsEmptyFile)
{
    server.serve_bytes("/empty", "");
    auto request = request_for("/empty");
    request.expected_size = 0;
    const auto result = download_one(request);
    EXPECT_EQ(result.bytes, 0u);
    EXPECT_EQ(result.sha256, crypto::sha256_hex(""));
    EXPECT_TRUE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineTest, FailsImmediatelyOnNotFound)
{
    auto request = request_for("/missing", "files[1]");
    write_text(request.destination, "stale content from an earlier run");
    const Error error = expect_failure(request);
    EXPECT_EQ(error.code, ErrorCode::network);
    EXPECT_EQ(error.message, "files[1]: " + server.url("/missing") + ": HTTP 404 Not Found");
    EXPECT_EQ(server.requests("/missing"), 1);
    EXPECT_FALSE(stdfs::exists(request.destination));
}

TEST_F(HttpEngineTest, GivesUpAfterMaxAttempts)
{
    server.serve_bytes("/broken", "never seen");
    server.fail_times("/broken", -1, 500);
    auto options = fast_options();
    options.max_attempts = 3;
    const Error error = expect_failure(request_for("/broken"), options);
    EXPECT_EQ(error.code, ErrorCode::network);
    EXPECT_EQ(error.message,
              "files[0]: " + server.url("/broken") + ": HTTP 500 Internal Server Error (after 3 attempts)");
    EXPECT_EQ(server.requests("/broken"), 3);
}

TEST_F(HttpEngineTest, FailsOnConnectionRefusedAfterRetries)
{
    int port = 0;
    {
        HttpTestServer gone;
        port = gone.port();
    }
    net::DownloadRequest request = request_for("/x");
    request.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
    auto options = fast_options();
    options.max_attempts = 2;
    const Error error = expect_failure(request, options);
    EXPECT_EQ(error.code, ErrorCode::network);
    EXPECT_THAT(error.message, HasSubstr("files[0]: " + request.url + ": "));
    EXPECT_THAT(error.message, HasSubstr("(after 2 attempts)"));
}

TEST_F(HttpEngineTest, FollowsRedirect)
{
    const std::string body = random_bytes(5000, 7);
    server.serve_bytes("/new/location", body);
    server.redirect("/old", "/new/location", 301);
    auto request = request_for("/old");
    request.expected_sha256 = crypto::sha256_hex(body);
    download_one(request);
    EXPECT_EQ(read_text(request.destination), body);
    EXPECT_EQ(server.requests("/old"), 1);
    EXPECT_EQ(server.requests("/new/location"), 1);
}

TEST_F(HttpEngineTest, SendsRequestHeaders)
{
    server.serve_bytes("/h", "ok");
    auto request = request_for("/h");
    request.headers = {"Accept: application/vnd.test+json", "X-Extra: 1"};
    download_one(request);
    EXPECT_EQ(server.last_header("/h", "Accept"), "application/vnd.test+json");
    EXPECT_EQ(server.last_header("/h", "X-Extra"), "1");
    EXPECT_EQ(server.last_header("/h", "User-Agent"), "gapbundle");
}

TEST_F(HttpEngineTest, ServesDirectoryFiles)
{
    write_text(dir() / "site" / "a" / "b.txt", "from a folder");
    server.serve_dir("/static", dir() / "site");
    net::HttpEngine engine(fast_options());
    auto text = engine.get_text(server.url("/static/a/b.txt"));
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, "from a folder");
    EXPECT_FALSE(engine.get_text(server.url("/static/../site/a/b.txt")));
}

TEST_F(HttpEngineTest, GetsTextWithRetries)
{
    server.serve_bytes("/index.json", R"({"ok": true})", "application/json");
    server.fail_times("/index.json", 1, 502);
    net::HttpEngine engine(fast_options());
    auto text = engine.get_text(server.url("/index.json"));
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, R"({"ok": true})");
    EXPECT_EQ(server.requests("/index.json"), 2);
}

TEST_F(HttpEngineTest, RefusesTextOverCap)
{
    server.serve_bytes("/big", std::string(1000, 'x'));
    net::HttpEngine engine(fast_options());
    auto text = engine.get_text(server.url("/big"), {}, 100);
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().code, ErrorCode::network);
    EXPECT_EQ(text.error().message, server.url("/big") + ": response larger than 100 bytes");
    EXPECT_EQ(server.requests("/big"), 1);
}

}  // namespace
}  // namespace gapbundle::testing
