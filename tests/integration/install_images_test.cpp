// `gapbundle install images`: the real binary pushes an unpacked bundle's OCI layout into a real
// registry (docker-registry on loopback); skopeo reads back what arrived.
#include "support/ports.hpp"
#include "support/registry_server.hpp"
#include "support/run_binary.hpp"
#include "support/test_dir.hpp"
#include "unit/oci_registry/oci_layout.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

constexpr const char* k_secret = "wr0ng-s3cret-value";

class InstallImagesTest : public TestDirFixture {
protected:
    void start(RegistryAuthMode mode)
    {
        m_registry = std::make_unique<RegistryServer>(dir() / "registry", mode);
        OciLayout layout(dir() / "unpacked" / "oci");
        m_a = layout.add_image("amd64", {{"base.txt", std::string(40000, 'b')}, {"a.txt", "app a\n"}});
        m_b = layout.add_image("amd64", {{"base.txt", std::string(40000, 'b')}, {"b.txt", "app b\n"}});
        const BuiltImage arm = layout.add_image("arm64", {{"b.txt", "app b on arm\n"}});
        m_index = layout.add_index({{m_b, "amd64"}, {arm, "arm64"}});
        layout.tag(m_a.manifest, "docker.io/library/app-a:1.0");
        layout.tag(m_index, "registry.example.com:5000/team/app-b:2.0");
        stdfs::create_directories(dir() / "docker");
    }

    RunResult install(std::vector<std::string> extra, std::vector<std::string> env = {})
    {
        std::vector<std::string> args{"install", "images", (dir() / "unpacked").string(), "--retries", "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        env.push_back("DOCKER_CONFIG=" + (dir() / "docker").string());
        return run_gapbundle(args, dir(), env);
    }

    RunResult push(std::vector<std::string> extra = {}, std::vector<std::string> env = {})
    {
        std::vector<std::string> args{"--registry", m_registry->host(), "--insecure"};
        args.insert(args.end(), extra.begin(), extra.end());
        return install(args, std::move(env));
    }

    // sha256 of what `skopeo inspect --raw` reads; "" when skopeo fails.
    std::string remote_digest(const std::string& name_and_ref, bool credentials = false)
    {
        std::vector<std::string> args{"inspect", "--raw", "--tls-verify=false"};
        if (credentials)
            args.push_back(std::string("--creds=") + RegistryServer::k_user + ":" + RegistryServer::k_password);
        args.push_back("docker://" + m_registry->host() + "/" + name_and_ref);
        stdfs::create_directories(dir() / "skopeo");
        const RunResult result = run_program("/usr/bin/skopeo", args, dir() / "skopeo");
        return result.status == 0 ? "sha256:" + crypto::sha256_hex(result.out) : "";
    }

    std::unique_ptr<RegistryServer> m_registry;
    BuiltImage m_a;
    BuiltImage m_b;
    Descriptor m_index;
};

TEST_F(InstallImagesTest, PushesAnUnpackedBundleAndRerunsNothing)
{
    start(RegistryAuthMode::open);
    const RunResult first = push({"--json"});
    ASSERT_EQ(first.status, 0) << first.err << first.out;
    const auto report = nlohmann::json::parse(first.out);
    EXPECT_EQ(report["command"], "install images");
    EXPECT_EQ(report["result"], "ok");
    ASSERT_EQ(report["images"].size(), 2u);
    EXPECT_EQ(report["images"][0]["destination"], m_registry->host() + "/library/app-a:1.0");
    EXPECT_EQ(report["images"][0]["digest"], m_a.manifest.digest);
    EXPECT_EQ(report["images"][1]["destination"], m_registry->host() + "/team/app-b:2.0");
    EXPECT_EQ(report["total"]["blobs_mounted"], 1);  // the shared base layer
    EXPECT_EQ(report["total"]["manifests_pushed"], 4);
    EXPECT_EQ(report["total"]["tags_set"], 2);

    EXPECT_EQ(remote_digest("library/app-a:1.0"), m_a.manifest.digest);
    EXPECT_EQ(remote_digest("team/app-b:2.0"), m_index.digest);
    EXPECT_EQ(remote_digest("team/app-b@" + m_b.manifest.digest), m_b.manifest.digest);

    const RunResult second = push();
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_NE(second.out.find("pushed docker.io/library/app-a:1.0 -> " + m_registry->host() + "/library/app-a:1.0 (" +
                              m_a.manifest.digest + "): 0 blob(s) uploaded (0 B), 0 mounted, 3 already there"),
              std::string::npos)
        << second.out;
    EXPECT_NE(second.out.find("pushed 2 image(s) to " + m_registry->host() +
                              ": 0 blob(s) uploaded (0 B), 0 mounted, 8 already there; 0 manifest(s) pushed, 4 "
                              "already there; 0 tag(s) set, 2 already set\n"),
              std::string::npos)
        << second.out;
}

TEST_F(InstallImagesTest, PrefixesNamesAndSelectsImages)
{
    start(RegistryAuthMode::open);
    const RunResult pushed = push({"--prefix", "mirror", "--ref", "app-a:1.0"});
    ASSERT_EQ(pushed.status, 0) << pushed.err;
    EXPECT_EQ(remote_digest("mirror/library/app-a:1.0"), m_a.manifest.digest);
    EXPECT_EQ(remote_digest("mirror/team/app-b:2.0"), "");
}

TEST_F(InstallImagesTest, PushesWithCredentialsFromTheEnvironment)
{
    start(RegistryAuthMode::token);
    const RunResult pushed =
        push({"--creds-env", "GB_USER:GB_PASS"},
             {std::string("GB_USER=") + RegistryServer::k_user, std::string("GB_PASS=") + RegistryServer::k_password});
    ASSERT_EQ(pushed.status, 0) << pushed.err;
    EXPECT_EQ(remote_digest("team/app-b:2.0", true), m_index.digest);
}

TEST_F(InstallImagesTest, RefusesAWrongPasswordWithExitThree)
{
    start(RegistryAuthMode::basic);
    const RunResult pushed = push({"--creds-env", "GB_USER:GB_PASS"}, {std::string("GB_USER=") + RegistryServer::k_user,
                                                                       std::string("GB_PASS=") + k_secret});
    EXPECT_EQ(pushed.status, 3) << pushed.err;
    EXPECT_EQ(pushed.err, "gapbundle: error: " + m_registry->host() +
                              "/library/app-a:1.0: access denied (HTTP 401): check the credentials for " +
                              m_registry->host() + " (--creds-env)\n");
    EXPECT_EQ(pushed.err.find(k_secret), std::string::npos);
    EXPECT_EQ(pushed.out.find(k_secret), std::string::npos);
}

TEST_F(InstallImagesTest, UsesDockerConfigCredentials)
{
    start(RegistryAuthMode::basic);
    const std::string pair = std::string(RegistryServer::k_user) + ":" + RegistryServer::k_password;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(pair.data());
    write_text(dir() / "docker" / "config.json", R"({"auths":{")" + m_registry->host() + R"(":{"auth":")" +
                                                     text::base64_encode(std::span(bytes, pair.size())) + R"("}}})");
    const RunResult pushed = push();
    ASSERT_EQ(pushed.status, 0) << pushed.err;
    EXPECT_EQ(remote_digest("library/app-a:1.0", true), m_a.manifest.digest);
}

TEST_F(InstallImagesTest, NamesAnUnsetCredentialVariable)
{
    start(RegistryAuthMode::basic);
    const RunResult pushed = push({"--creds-env", "GB_NO_SUCH_USER:GB_PASS"}, {"GB_PASS=x"});
    EXPECT_EQ(pushed.status, 2) << pushed.err;
    EXPECT_EQ(pushed.err, "gapbundle: error: --creds-env: environment variable GB_NO_SUCH_USER is not set\n");
}

TEST_F(InstallImagesTest, RefusesACorruptBlobWithExitOne)
{
    start(RegistryAuthMode::open);
    const stdfs::path layer = dir() / "unpacked" / "oci" / "blobs" / "sha256" / m_a.layers[1].digest.substr(7);
    std::string bytes = read_text(layer);
    bytes[0] = 'X';
    write_text(layer, bytes);
    const RunResult pushed = push();
    EXPECT_EQ(pushed.status, 1) << pushed.err;
    EXPECT_NE(pushed.err.find(layer.string() + ": content hashes to sha256:"), std::string::npos) << pushed.err;
    EXPECT_EQ(remote_digest("library/app-a:1.0"), "");
}

TEST_F(InstallImagesTest, NamesTheRegistryWhenNobodyListens)
{
    start(RegistryAuthMode::open);
    const std::string host = "127.0.0.1:" + std::to_string(free_port());
    const RunResult pushed = install({"--registry", host, "--insecure"});
    EXPECT_EQ(pushed.status, 3) << pushed.err;
    EXPECT_NE(pushed.err.find("http://" + host + "/v2/library/app-a/blobs/"), std::string::npos) << pushed.err;
}

TEST_F(InstallImagesTest, NamesAMalformedLayout)
{
    start(RegistryAuthMode::open);
    write_text(dir() / "unpacked" / "oci" / "index.json", "{");
    const RunResult pushed = push();
    EXPECT_EQ(pushed.status, 1) << pushed.err;
    EXPECT_EQ(pushed.err,
              "gapbundle: error: " + (dir() / "unpacked" / "oci" / "index.json").string() + ": not valid JSON\n");
}

TEST_F(InstallImagesTest, WantsExactlyOneTarget)
{
    start(RegistryAuthMode::open);
    const RunResult neither = install({});
    EXPECT_EQ(neither.status, 2) << neither.err;
    EXPECT_NE(neither.err.find("one of --registry or --archive"), std::string::npos) << neither.err;
    const RunResult both = install({"--registry", m_registry->host(), "--archive", (dir() / "x.tar").string()});
    EXPECT_EQ(both.status, 2) << both.err;
    EXPECT_NE(both.err.find("excludes"), std::string::npos) << both.err;
}

TEST_F(InstallImagesTest, WritesAnArchive)
{
    start(RegistryAuthMode::open);
    const RunResult written = install({"--archive", (dir() / "images.tar").string(), "--ref", "app-a:1.0", "--json"});
    ASSERT_EQ(written.status, 0) << written.err;
    const auto report = nlohmann::json::parse(written.out);
    EXPECT_EQ(report["images"], 1);
    EXPECT_TRUE(stdfs::exists(dir() / "images.tar"));
    stdfs::create_directories(dir() / "skopeo");
    // The archive names its index.json entry as `docker save` does: ref.name is the bare tag.
    const RunResult inspected =
        run_program("/usr/bin/skopeo", {"inspect", "--raw", "oci-archive:" + (dir() / "images.tar").string() + ":1.0"},
                    dir() / "skopeo");
    ASSERT_EQ(inspected.status, 0) << inspected.err;
    EXPECT_EQ("sha256:" + crypto::sha256_hex(inspected.out), m_a.manifest.digest);
}

}  // namespace
}  // namespace gapbundle::testing
