#include "engine_fixture.hpp"

#include <gmock/gmock.h>

#include <cstdlib>

namespace gapbundle::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_password = "pa55-Wo_rd-never-shown";
constexpr const char* k_token = "tok-never-shown-123";

net::Credentials basic(const std::string& user, const std::string& password)
{
    return net::Credentials{net::Credentials::Kind::basic, user, password};
}

TEST_F(HttpEngineTest, SendsBasicAuth)
{
    server.serve_bytes("/private", "secret payload");
    server.require_basic_auth("/private", "alice", k_password);
    auto request = request_for("/private");
    request.credentials = basic("alice", k_password);
    download_one(request);
    EXPECT_EQ(read_text(request.destination), "secret payload");
}

TEST_F(HttpEngineTest, KeepsPasswordOutOfErrors)
{
    server.serve_bytes("/private", "secret payload");
    server.require_basic_auth("/private", "alice", "the-right-one");
    auto request = request_for("/private");
    request.credentials = basic("alice", k_password);
    const Error error = expect_failure(request);
    EXPECT_EQ(error.message, "files[0]: " + request.url + ": HTTP 401 Unauthorized");
    EXPECT_EQ(server.requests("/private"), 1);

    request.url = "http://alice:" + std::string(k_password) + "@127.0.0.1:" + std::to_string(server.port()) + "/nope";
    const Error in_url = expect_failure(request);
    EXPECT_THAT(in_url.message, Not(HasSubstr(k_password)));
    EXPECT_THAT(in_url.message, HasSubstr("http://***@127.0.0.1:"));
}

TEST_F(HttpEngineTest, SendsBearerToSameHostAfterRedirect)
{
    server.serve_bytes("/b", "same host");
    server.redirect("/a", "/b");
    auto request = request_for("/a");
    request.credentials = net::Credentials{net::Credentials::Kind::bearer, "", k_token};
    download_one(request);
    EXPECT_EQ(server.last_header("/a", "Authorization"), std::string("Bearer ") + k_token);
    EXPECT_EQ(server.last_header("/b", "Authorization"), std::string("Bearer ") + k_token);
}

TEST_F(HttpEngineTest, DropsBearerOnRedirectToOtherHost)
{
    server.serve_bytes("/elsewhere", "other host");
    server.redirect("/a", server.url_on("localhost", "/elsewhere"));
    auto request = request_for("/a");
    request.credentials = net::Credentials{net::Credentials::Kind::bearer, "", k_token};
    download_one(request);
    EXPECT_EQ(server.last_header("/a", "Authorization"), std::string("Bearer ") + k_token);
    ASSERT_EQ(server.requests("/elsewhere"), 1);
    EXPECT_EQ(server.last_header("/elsewhere", "Authorization"), std::nullopt);
    EXPECT_EQ(read_text(request.destination), "other host");
}

TEST_F(HttpEngineTest, DropsBasicAuthOnRedirectToOtherHost)
{
    server.serve_bytes("/elsewhere", "other host");
    server.redirect("/a", server.url_on("localhost", "/elsewhere"));
    auto request = request_for("/a");
    request.credentials = basic("alice", k_password);
    download_one(request);
    EXPECT_TRUE(server.last_header("/a", "Authorization"));
    EXPECT_EQ(server.last_header("/elsewhere", "Authorization"), std::nullopt);
}

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name)
    {
        if (const char* old = std::getenv(name)) m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv()
    {
        if (m_old) setenv(m_name, m_old->c_str(), 1);
        else unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

TEST_F(HttpEngineTest, ReadsNetrcFromEnvironment)
{
    server.serve_bytes("/private", "via netrc");
    server.require_basic_auth("/private", "bob", k_password);
    write_text(dir() / "netrc", std::string("machine 127.0.0.1 login bob password ") + k_password + "\n");
    ScopedEnv netrc("NETRC", (dir() / "netrc").string());
    auto options = fast_options();
    options.use_netrc = true;
    auto request = request_for("/private");
    download_one(request, options);
    EXPECT_EQ(read_text(request.destination), "via netrc");

    options.use_netrc = false;
    const Error error = expect_failure(request_for("/private"), options);
    EXPECT_THAT(error.message, HasSubstr("HTTP 401"));
}

}  // namespace
}  // namespace gapbundle::testing
