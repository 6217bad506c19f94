#include "registry_fixture.hpp"

#include "support/http_test_server.hpp"

#include <gapbundle/net/http_request.hpp>

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace gapbundle::testing {
namespace {

net::HttpRequest request_for(std::string url, std::string method = "GET")
{
    net::HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    return request;
}

class HttpRequestTest : public ::testing::Test {
protected:
    HttpTestServer m_server;
    net::EngineOptions m_options = quick_engine();
};

TEST_F(HttpRequestTest, GetsBodyStatusAndHeaders)
{
    m_server.serve_bytes("/doc", "hello", "text/plain");
    auto response = net::send(request_for(m_server.url("/doc")), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
    EXPECT_EQ(response->header("CONTENT-TYPE"), "text/plain");
    EXPECT_EQ(response->header("X-Nothing"), std::nullopt);
    EXPECT_EQ(response->effective_url, m_server.url("/doc"));
}

TEST_F(HttpRequestTest, HeadReadsNoBody)
{
    m_server.serve_bytes("/doc", "hello", "text/plain");
    auto response = net::send(request_for(m_server.url("/doc"), "HEAD"), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "");
    EXPECT_EQ(m_server.requests_to("/doc").at(0).method, "HEAD");
}

TEST_F(HttpRequestTest, ReturnsClientErrorsAsResponses)
{
    auto response = net::send(request_for(m_server.url("/missing")), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 404);
    EXPECT_EQ(m_server.requests("/missing"), 1);
}

TEST_F(HttpRequestTest, RetriesServerErrorsThenSucceeds)
{
    m_server.serve_bytes("/doc", "ok");
    m_server.fail_times("/doc", 2, 503, {{"Retry-After", "0"}});
    auto response = net::send(request_for(m_server.url("/doc")), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(m_server.requests("/doc"), 3);
}

TEST_F(HttpRequestTest, GivesUpAfterMaxAttemptsWithTheLastResponse)
{
    m_server.fail_times("/doc", -1, 429, {{"Retry-After", "0"}});
    auto response = net::send(request_for(m_server.url("/doc")), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 429);
    EXPECT_EQ(m_server.requests("/doc"), 3);
}

TEST_F(HttpRequestTest, FollowsRedirects)
{
    m_server.serve_bytes("/there", "moved");
    m_server.redirect("/here", "/there", 307);
    auto response = net::send(request_for(m_server.url("/here")), m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->body, "moved");
    EXPECT_EQ(response->effective_url, m_server.url("/there"));
}

TEST_F(HttpRequestTest, DoesNotForwardCredentialsToAnotherHost)
{
    m_server.serve_bytes("/there", "moved");
    m_server.redirect("/here", m_server.url_on("localhost", "/there"));
    net::HttpRequest request = request_for(m_server.url("/here"));
    request.credentials = {net::Credentials::Kind::basic, "user", "secret"};
    auto response = net::send(request, m_options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->body, "moved");
    EXPECT_TRUE(m_server.last_header("/here", "Authorization").has_value());
    EXPECT_FALSE(m_server.last_header("/there", "Authorization").has_value());
}

TEST_F(HttpRequestTest, SendsBodyWithMethod)
{
    // HttpTestServer answers GET and HEAD only: a bare httplib server takes the PUT.
    httplib::Server server;
    std::string seen_body;
    std::string seen_header;
    server.Put("/upload", [&](const httplib::Request& req, httplib::Response& res) {
        seen_body = req.body;
        seen_header = req.get_header_value("X-Test");
        res.status = 201;
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&server] { server.listen_after_bind(); });
    net::HttpRequest request = request_for("http://127.0.0.1:" + std::to_string(port) + "/upload", "PUT");
    request.headers = {"X-Test: 1"};
    request.body = "data";
    auto response = net::send(request, m_options);
    server.stop();
    thread.join();
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(seen_body, "data");
    EXPECT_EQ(seen_header, "1");
}

TEST_F(HttpRequestTest, RejectsBodyOverTheCap)
{
    m_server.serve_bytes("/big", std::string(5000, 'b'));
    net::HttpRequest request = request_for(m_server.url("/big"));
    request.max_body = 1000;
    auto response = net::send(request, m_options);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::network);
    EXPECT_EQ(response.error().message, m_server.url("/big") + ": response body larger than 1000 B");
}

TEST_F(HttpRequestTest, ReportsConnectionErrorsWithRedactedUrl)
{
    net::EngineOptions options = m_options;
    options.max_attempts = 1;
    auto response = net::send(request_for("http://user:hunter2@127.0.0.1:1/x"), options);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, ErrorCode::network);
    EXPECT_EQ(response.error().message.find("hunter2"), std::string::npos) << response.error().message;
    EXPECT_NE(response.error().message.find("127.0.0.1:1/x"), std::string::npos) << response.error().message;
}

}  // namespace
}  // namespace gapbundle::testing
