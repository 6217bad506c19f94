#include <gapbundle/sources/oci/docker_config.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::oci {
namespace {

using gapbundle::testing::write_text;

class DockerConfigTest : public gapbundle::testing::TestDirFixture {
protected:
    std::filesystem::path config(const std::string& json)
    {
        const auto path = dir() / "config.json";
        write_text(path, json);
        return path;
    }
};

TEST_F(DockerConfigTest, DecodesAuthForTheRegistryUnderAnyOfDockersSpellings)
{
    // base64("user:pa:ss") — the password may hold colons.
    const auto path = config(R"({"auths": {
        "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
        "registry.local:5000": {"username": "ci", "password": "s3cret"},
        "http://lab.example:8080/v2/": {"auth": "bGFiOmxhYg=="}}})");
    auto hub = docker_config_credentials("docker.io", path);
    ASSERT_TRUE(hub && *hub);
    EXPECT_EQ((*hub)->kind, net::Credentials::Kind::basic);
    EXPECT_EQ((*hub)->user, "user");
    EXPECT_EQ((*hub)->secret, "pa:ss");
    auto local = docker_config_credentials("registry.local:5000", path);
    ASSERT_TRUE(local && *local);
    EXPECT_EQ((*local)->user, "ci");
    EXPECT_EQ((*local)->secret, "s3cret");
    auto lab = docker_config_credentials("lab.example:8080", path);
    ASSERT_TRUE(lab && *lab);
    EXPECT_EQ((*lab)->user, "lab");
    auto none = docker_config_credentials("quay.io", path);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST_F(DockerConfigTest, AMissingFileOrHelperOnlyEntryMeansNoCredentials)
{
    auto missing = docker_config_credentials("docker.io", dir() / "absent.json");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
    auto helper = docker_config_credentials("docker.io", config(R"({"auths": {"docker.io": {}}, "credsStore": "desktop"})"));
    ASSERT_TRUE(helper);
    EXPECT_FALSE(*helper);
}

TEST_F(DockerConfigTest, ABrokenFileIsAnErrorThatNeverShowsTheSecret)
{
    auto not_json = docker_config_credentials("docker.io", config("{"));
    ASSERT_FALSE(not_json);
    EXPECT_NE(not_json.error().message.find("config.json: not a JSON object"), std::string::npos);
    auto bad_auth = docker_config_credentials("r.io", config(R"({"auths": {"r.io": {"auth": "bm9jb2xvbg=="}}})"));
    ASSERT_FALSE(bad_auth);  // base64("nocolon")
    EXPECT_NE(bad_auth.error().message.find("does not decode to user:password"), std::string::npos);
    EXPECT_EQ(bad_auth.error().message.find("nocolon"), std::string::npos);
}

TEST_F(DockerConfigTest, DockerConfigVariableChoosesTheFolder)
{
    ::setenv("DOCKER_CONFIG", dir().c_str(), 1);
    EXPECT_EQ(docker_config_path(), dir() / "config.json");
    ::unsetenv("DOCKER_CONFIG");
    ::setenv("HOME", "/home/someone", 1);
    EXPECT_EQ(docker_config_path(), std::filesystem::path("/home/someone/.docker/config.json"));
}

}  // namespace
}  // namespace gapbundle::sources::oci
