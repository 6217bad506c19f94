// rehearse end to end: a bundle of pip packages, a Hugging Face repo and an image, packed from
// loopback servers, rehearsed whole and then rewritten (re-signed) with a transitive wheel, an
// image layer and a snapshot file missing, each of which rehearse must name. The same mixed
// bundle's report, rendered in Chromium, lists every component.

#include "bundle_surgery.hpp"
#include "headless_chromium.hpp"
#include "trip_fixture.hpp"
#include "../unit/oci_registry/oci_layout.hpp"

#include "support/http_test_server.hpp"
#include "support/hub_test_server.hpp"
#include "support/python_index.hpp"
#include "support/registry_server.hpp"

#include <gapbundle/util/network_namespace.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

const std::string k_repo = "gapbundle-test/rehearsed";

class RehearseTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        auto index = build_python_index(
            R"({"projects": {"app": {"versions": {"1.0": {"requires_dist": ["dep>=1"]}}}, "dep": {"versions": {"1.0": {}}}}})",
            dir() / "index", {});
        ASSERT_TRUE(index) << index.error().message;
        pypi.serve_simple_index("/simple", index->simple, SimpleFormat::html);
        pypi.serve_dir("/files", index->files);

        HubRepo repo(HubRepoType::model, k_repo);
        repo.add("config.json", "{\"hidden_size\": 8}\n")
            .add("tokenizer.json", "{\"version\": \"1.0\"}\n")
            .add("model.safetensors", std::string(200000, 'w'), HubStorage::lfs);
        hub.add_repo(std::move(repo));

        registry = std::make_unique<RegistryServer>(dir() / "registry", RegistryAuthMode::open);
        OciLayout layout(dir() / "layout");
        image = layout.add_image("amd64", {{"app/run.sh", "echo run\n"}, {"app/data.txt", "data\n"}});
        layout.tag(image.manifest, "app");
        registry->push(layout.folder(), "app", "demo/app:1.0");

        const auto manifest = dir() / "manifest.yaml";
        write_text(manifest, "apiVersion: gapbundle/v1\nname: rehearsed\npip:\n  index: " + pypi.url("/simple") +
                                 "\n  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n"
                                 "  requirements:\n    - 'app'\nhuggingface:\n  endpoint: " + hub.url() +
                                 "\n  repos:\n    - repo: " + k_repo + "\nimages:\n  - " + registry->host() +
                                 "/demo/app:1.0\nregistries:\n  \"" + registry->host() + "\": { insecure: true }\n");
        const std::vector<std::string> env{"HF_HOME=" + (dir() / "hf-home").string(), "HF_TOKEN="};
        auto packed = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", bundle().string(),
                                 "--cache-dir", cache().string()},
                                env);
        ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
        stdfs::create_directories(work());
    }

    stdfs::path bundle() const { return dir() / "whole.tar"; }
    stdfs::path work() const { return dir() / "work"; }

    RunResult rehearse(const stdfs::path& bundle_file, const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> args{"rehearse", bundle_file.string(), "--trust", pub().string(), "--work-dir",
                                      work().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args);
    }

    // The kind's entry of a --json rehearsal.
    static nlohmann::json kind_of(const nlohmann::json& document, const std::string& kind)
    {
        for (const auto& item : document.at("kinds"))
            if (item.at("kind") == kind) return item;
        return nullptr;
    }

    static bool any_line_has(const nlohmann::json& lines, const std::string& text)
    {
        return std::ranges::any_of(lines, [&](const nlohmann::json& line) {
            return line.get<std::string>().find(text) != std::string::npos;
        });
    }

    static bool namespaces_allowed()
    {
        const pid_t child = fork();
        if (child == 0) _exit(netns::cut_network() ? 0 : 1);
        int status = 0;
        waitpid(child, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }

    void expect_work_dir_empty() const
    {
        EXPECT_TRUE(stdfs::is_empty(work())) << "rehearse left its temporary folder behind";
    }

    HttpTestServer pypi;
    HubTestServer hub;
    std::unique_ptr<RegistryServer> registry;
    BuiltImage image;
};

TEST_F(RehearseTest, TheWholeBundleInstallsWithTheNetworkCut)
{
    auto rehearsed = rehearse(bundle(), {});
    ASSERT_EQ(rehearsed.status, 0) << rehearsed.out << rehearsed.err;
    EXPECT_NE(rehearsed.out.find("OK " + bundle().string()), std::string::npos) << rehearsed.out;
    auto as_json = gapbundle({"--json", "rehearse", bundle().string(), "--trust", pub().string(), "--work-dir",
                              work().string()});
    ASSERT_EQ(as_json.status, 0) << as_json.out << as_json.err;
    const auto document = json_of(as_json);
    EXPECT_EQ(document.at("result"), "ok");
    if (namespaces_allowed()) {
        EXPECT_EQ(document.at("network").at("cut"), true) << document;
    }
    for (const char* kind : {"pip", "huggingface", "images"}) {
        const auto item = kind_of(document, kind);
        ASSERT_FALSE(item.is_null()) << kind << ": " << document;
        EXPECT_EQ(item.at("verdict"), "ok") << item;
        EXPECT_TRUE(item.at("problems").empty()) << item;
    }
    EXPECT_TRUE(any_line_has(kind_of(document, "pip").at("checked"), "pip install --no-index")) << document;
    EXPECT_TRUE(any_line_has(kind_of(document, "pip").at("checked"), "pip check: no broken requirements"));
    EXPECT_TRUE(any_line_has(kind_of(document, "images").at("checked"), "pushed 1 image(s)")) << document;
    EXPECT_TRUE(any_line_has(kind_of(document, "huggingface").at("checked"), "every one of 3 file(s)")) << document;
    expect_work_dir_empty();
}

TEST_F(RehearseTest, AMissingWheelLayerAndSnapshotFileAreEachNamed)
{
    auto unpacked = gapbundle({"unpack", bundle().string(), "--trust", pub().string(), "--to", (dir() / "tree").string()});
    ASSERT_EQ(unpacked.status, 0) << unpacked.err;
    const std::string commit = hub.commit(HubRepoType::model, k_repo);
    const std::string layer = image.layers.at(1).digest.substr(7);
    const std::string snapshot_file = "hf/hub/models--gapbundle-test--rehearsed/snapshots/" + commit + "/tokenizer.json";
    const auto broken = dir() / "broken.tar";
    rewrite_bundle(bundle(), dir() / "tree", key(), broken,
                   {{"oci/blobs/sha256/" + layer, snapshot_file}, {{"pip", "dep"}}, {}});
    auto verified = gapbundle({"verify", broken.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << "the rewritten bundle verifies: " << verified.out;

    auto rehearsed = rehearse(broken);
    EXPECT_EQ(rehearsed.status, 1) << rehearsed.out << rehearsed.err;
    EXPECT_NE(rehearsed.out.find("FAILED " + broken.string() + ": 3 kind(s)"), std::string::npos) << rehearsed.out;
    auto as_json = gapbundle({"--json", "rehearse", broken.string(), "--trust", pub().string(), "--work-dir",
                              work().string()});
    EXPECT_EQ(as_json.status, 1);
    const auto document = json_of(as_json);
    EXPECT_EQ(document.at("result"), "failed");

    const auto pip = kind_of(document, "pip");
    EXPECT_EQ(pip.at("verdict"), "FAILED");
    EXPECT_TRUE(any_line_has(pip.at("problems"), "app 1.0 requires dep>=1, and the bundle carries no dep")) << pip;
    EXPECT_TRUE(any_line_has(pip.at("problems"), "No matching distribution found for dep")) << pip;

    const auto images = kind_of(document, "images");
    EXPECT_EQ(images.at("verdict"), "FAILED");
    EXPECT_TRUE(any_line_has(images.at("problems"), layer)) << images;

    const auto hf = kind_of(document, "huggingface");
    EXPECT_EQ(hf.at("verdict"), "FAILED");
    EXPECT_TRUE(any_line_has(hf.at("problems"), "models/gapbundle-test/rehearsed@" + commit.substr(0, 12) +
                                                    ": tokenizer.json is in trees/" + commit +
                                                    ".json but not in the snapshot"))
        << hf;
    expect_work_dir_empty();
}

TEST_F(RehearseTest, TheReportOfThePackedBundleListsEveryComponentInABrowser)
{
    const auto page = dir() / "report.html";
    auto made = gapbundle({"report", bundle().string(), "-o", page.string(), "--trust", pub().string()});
    ASSERT_EQ(made.status, 0) << made.out << made.err;
    auto exported = gapbundle({"inspect", "--index", bundle().string()});
    ASSERT_EQ(exported.status, 0) << exported.err;
    std::set<std::pair<std::string, std::string>> expected;
    const auto index = nlohmann::json::parse(exported.out);
    for (const auto& component : index.at("components"))
        expected.emplace(component.at("kind").get<std::string>(), component.at("name").get<std::string>());
    ASSERT_EQ(expected.size(), 4u) << exported.out;  // app, dep, the model, the image
    const std::string dom = render_in_chromium(page, dir());
    EXPECT_EQ(component_rows(dom), expected);
    EXPECT_NE(dom.find("trusted, signature valid"), std::string::npos);
    EXPECT_NE(dom.find(image.manifest.digest), std::string::npos) << "the image's digest is on the page";
}

TEST_F(RehearseTest, ABundleThatDoesNotVerifyIsNotRehearsed)
{
    auto other = gapbundle({"keygen", "--out", (dir() / "other").string()});
    ASSERT_EQ(other.status, 0) << other.err;
    auto rehearsed = gapbundle({"rehearse", bundle().string(), "--trust", (dir() / "other.pub").string(), "--work-dir",
                                work().string()});
    EXPECT_EQ(rehearsed.status, 1) << rehearsed.out << rehearsed.err;
    EXPECT_NE(rehearsed.out.find("nothing was rehearsed"), std::string::npos) << rehearsed.out;
    expect_work_dir_empty();
    auto missing = rehearse(dir() / "nope.tar");
    EXPECT_EQ(missing.status, 4) << missing.out << missing.err;
    EXPECT_NE((missing.out + missing.err).find("nope.tar"), std::string::npos);
    expect_work_dir_empty();
}

// What the rehearsal's checks run inside: loopback works, the host's servers are out of reach.
TEST_F(RehearseTest, TheCutNetworkHasLoopbackAndNothingElse)
{
    if (!namespaces_allowed()) GTEST_SKIP() << "network namespaces are not allowed here (not root?)";
    const int port = pypi.port();
    const pid_t child = fork();
    if (child == 0) {
        if (!netns::cut_network()) _exit(10);
        const auto connects = [](int to_port) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<std::uint16_t>(to_port));
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
            ::close(fd);
            return ok;
        };
        if (connects(port)) _exit(11);  // the test's server, in the host's namespace
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, 1) != 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            _exit(12);
        _exit(connects(ntohs(address.sin_port)) ? 0 : 13);  // loopback is up inside
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: not cut, 11: the host reachable, 12/13: loopback down";
}

}  // namespace
}  // namespace gapbundle::testing
