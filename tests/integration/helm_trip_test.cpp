// The helm kind end to end: the real binary against a loopback classic chart repository (charts
// built by the tests, an index.yaml, a .prov) and a real docker-registry holding an OCI chart and
// the images the charts deploy; packed, verified, unpacked, the bundle's chart repository read
// back, and `install helm` pushing the charts into the registry as OCI artifacts.

#include "bundle_surgery.hpp"
#include "trip_fixture.hpp"
#include "umoci_images.hpp"

#include "support/helm_chart.hpp"
#include "support/http_test_server.hpp"
#include "support/registry_server.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/sources/helm/local_index.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdlib.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

const std::string k_prov = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: web\n";

std::string sha256_of(const stdfs::path& file)
{
    return crypto::sha256_hex(read_text(file));
}

// The charts, the classic repository's folder and the registry, made once for the suite: umoci
// and the registry take seconds.
struct HelmWorld {
    stdfs::path root;
    std::unique_ptr<RegistryServer> registry;
    std::unique_ptr<HttpTestServer> server;
    stdfs::path repo;  // served at /charts
    std::string host;  // the registry's
};

HelmWorld* g_world = nullptr;

std::string index_entry(const stdfs::path& tgz, const std::string& name, const std::string& version,
                        const std::string& url)
{
    return "    - name: " + name + "\n      version: " + version + "\n      apiVersion: v2\n      digest: " +
           sha256_of(tgz) + "\n      urls: [\"" + url + "\"]\n";
}

class HelmTripTest : public TripTest {
protected:
    static void SetUpTestSuite()
    {
        std::string folder = (stdfs::temp_directory_path() / "gapbundle-helm-trip.XXXXXX").string();
        ASSERT_NE(::mkdtemp(folder.data()), nullptr);
        auto world = std::make_unique<HelmWorld>();
        world->root = folder;
        world->registry = std::make_unique<RegistryServer>(world->root / "registry", RegistryAuthMode::open);
        world->host = world->registry->host();
        const auto images = build_umoci_images(world->root / "build");
        world->registry->push(images, "app", "demo/app:1.0");
        world->registry->push(images, "tool", "demo/tool:2.0");
        world->server = std::make_unique<HttpTestServer>();
        world->repo = world->root / "repo";
        const std::string host = world->host;
        const std::string charts_url = world->server->url("/charts");

        ChartDef common{"common", "2.1.0", "", "type: library\n", "", {}, {}};
        const auto common_tgz = build_chart(world->repo, common);
        common.version = "2.0.0";
        const auto common_old = build_chart(world->repo, common);

        ChartDef sidecar{"sidecar", "0.1.0", "", "", "image: \"" + host + "/demo/app:1.0\"\n", {}, {}};
        const auto sidecar_tgz = build_chart(world->root / "vendored", sidecar);

        // web: a dependency in the repository (not vendored), a vendored subchart, images in an
        // annotation, in a registry/repository/tag map, and in the subchart's scalar.
        ChartDef web;
        web.name = "web";
        web.app_version = "1.0";
        web.chart_yaml_extra = "dependencies:\n  - name: common\n    version: \"^2.0.0\"\n    repository: " + charts_url +
                               "\n  - name: sidecar\n    version: 0.1.0\n"
                               "annotations:\n  artifacthub.io/images: |\n    - name: app\n      image: " +
                               host + "/demo/app:1.0\n";
        web.values_yaml = "image:\n  registry: " + host + "\n  repository: demo/tool\n  tag: \"2.0\"\nreplicas: 2\n";
        web.vendored = {{"sidecar", sidecar_tgz}};
        std::map<std::string, stdfs::path> web_tgz;
        for (const char* version : {"1.1.0", "1.2.0", "1.3.0-rc.1"}) {
            web.version = version;
            web_tgz[version] = build_chart(world->repo, web);
        }
        write_text(world->repo / "web-1.2.0.tgz.prov", k_prov);
        std::string index = "apiVersion: v1\nentries:\n  web:\n";
        for (const auto& [version, tgz] : web_tgz) index += index_entry(tgz, "web", version, "web-" + version + ".tgz");
        index += "  common:\n" + index_entry(common_tgz, "common", "2.1.0", charts_url + "/common-2.1.0.tgz") +
                 index_entry(common_old, "common", "2.0.0", "common-2.0.0.tgz");
        write_text(world->repo / "index.yaml", index);
        world->server->serve_dir("/charts", world->repo);

        // api: an OCI chart whose image takes its tag from appVersion.
        // 0.5.0+build.1 is tagged 0.5.0_build.1: tags cannot hold '+'.
        for (const std::string version : {"0.3.0", "0.4.0", "0.5.0+build.1"}) {
            ChartDef api{"api", version, "2.0", "", "image:\n  repository: " + host + "/demo/tool\n  tag: \"\"\n", {}, {}};
            const auto tgz = build_chart(world->root / "oci", api);
            std::string tag = version;
            std::ranges::replace(tag, '+', '_');
            const auto layout = world->root / ("oci-layout-" + tag);
            write_oci_chart_layout(layout, tgz, "api", version, tag);
            world->registry->push(layout, tag, "charts/api:" + tag);
        }
        g_world = world.release();
    }

    static void TearDownTestSuite()
    {
        if (!g_world) return;
        const auto root = g_world->root;
        delete g_world;
        g_world = nullptr;
        stdfs::remove_all(root);
    }

    void SetUp() override
    {
        TripTest::SetUp();
        ASSERT_NE(g_world, nullptr);
    }

    const std::string& host() const { return g_world->host; }
    std::string charts_url(const std::string& prefix = "/charts") const { return g_world->server->url(prefix); }

    stdfs::path helm_manifest(const std::string& helm_yaml)
    {
        const auto path = dir() / "manifest.yaml";
        write_text(path, "apiVersion: gapbundle/v1\nname: helmtrip\nhelm:\n" + helm_yaml + "registries:\n  \"" + host() +
                             "\": { insecure: true }\n");
        return path;
    }

    std::string web_and_api(const std::string& web_version = "^1.1", const std::string& api_version = "~0.4")
    {
        return "  - repo: " + charts_url() + "\n    chart: web\n    version: \"" + web_version + "\"\n  - oci: oci://" +
               host() + "/charts/api\n    version: \"" + api_version + "\"\n";
    }

    RunResult pack(const stdfs::path& manifest, const stdfs::path& bundle, const std::vector<std::string>& env = {})
    {
        return gapbundle({"pack", manifest.string(), "-o", bundle.string(), "--key", key().string(), "--cache-dir",
                          cache().string(), "--retries", "1"},
                         env);
    }

    stdfs::path pack_and_unpack(const stdfs::path& manifest)
    {
        const auto bundle = dir() / "bundle.tar";
        auto packed = pack(manifest, bundle);
        EXPECT_EQ(packed.status, 0) << packed.out << packed.err;
        auto verified = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
        EXPECT_EQ(verified.status, 0) << verified.out << verified.err;
        const auto out = dir() / "out";
        auto unpacked = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
        EXPECT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
        return out;
    }

    // The ref names of the bundle's OCI layout.
    static std::set<std::string> layout_refs(const stdfs::path& out)
    {
        std::set<std::string> refs;
        const auto index = nlohmann::json::parse(read_text(out / "oci" / "index.json"));
        for (const auto& entry : index["manifests"])
            refs.insert(entry["annotations"]["org.opencontainers.image.ref.name"].get<std::string>());
        return refs;
    }

    std::string skopeo_raw(const std::string& location)
    {
        auto result = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", location}, dir());
        EXPECT_EQ(result.status, 0) << location << ": " << result.err;
        return result.out;
    }

    void expect_failure(const RunResult& result, int status, const std::string& needle, const stdfs::path& bundle)
    {
        EXPECT_EQ(result.status, status) << result.out << result.err;
        EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
        EXPECT_FALSE(stdfs::exists(bundle));
        expect_no_staging_left();
    }
};

TEST_F(HelmTripTest, CarriesChartsTheirDependencyAndTheImagesTheyDeploy)
{
    const auto out = pack_and_unpack(helm_manifest(web_and_api()));

    // helm/ is a chart repository: index.yaml lists every chart with a relative URL and the
    // digest of the file beside it.
    const std::string index_text = read_text(out / "helm" / "index.yaml");
    auto index = sources::helm::parse_chart_index(index_text, "index.yaml");
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_TRUE(index->skipped.empty());
    std::map<std::string, std::string> listed;  // name → version
    for (const auto& [name, versions] : index->entries) {
        ASSERT_EQ(versions.size(), 1u) << name;
        const auto& chart = versions.front();
        listed[name] = chart.version;
        ASSERT_EQ(chart.urls, std::vector<std::string>{name + "-" + chart.version + ".tgz"});
        EXPECT_EQ(chart.digest, sha256_of(out / "helm" / chart.urls.front())) << name;
    }
    EXPECT_EQ(listed, (std::map<std::string, std::string>{{"api", "0.4.0"}, {"common", "2.1.0"}, {"web", "1.2.0"}}));
    EXPECT_EQ(read_text(out / "helm" / "web-1.2.0.tgz"), read_text(g_world->repo / "web-1.2.0.tgz"));
    EXPECT_EQ(read_text(out / "helm" / "web-1.2.0.tgz.prov"), k_prov);
    EXPECT_FALSE(stdfs::exists(out / "helm" / "common-2.1.0.tgz.prov"));

    // The images found, exactly, plus the OCI chart, in the bundle's OCI layout.
    EXPECT_EQ(layout_refs(out), (std::set<std::string>{host() + "/demo/app:1.0", host() + "/demo/tool:2.0",
                                                        host() + "/charts/api:0.4.0"}));
    const auto chart_manifest =
        nlohmann::json::parse(skopeo_raw("oci:" + (out / "oci").string() + ":" + host() + "/charts/api:0.4.0"));
    EXPECT_EQ(chart_manifest["config"]["mediaType"], "application/vnd.cncf.helm.config.v1+json");
    EXPECT_EQ(chart_manifest["layers"][0]["digest"], "sha256:" + sha256_of(out / "helm" / "api-0.4.0.tgz"));

    // Each image is marked with the charts that asked for it.
    auto locked = gapbundle({"lock", (dir() / "manifest.yaml").string(), "--cache-dir", cache().string()});
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
    std::map<std::string, std::vector<std::string>> asked;
    std::set<std::string> helm_components;
    for (const auto& component : lock["components"]) {
        if (component["kind"] == "images") asked[component["name"]] = component["requested"];
        if (component["kind"] == "helm")
            helm_components.insert(component["name"].get<std::string>() + " " + component["version"].get<std::string>());
    }
    EXPECT_EQ(helm_components, (std::set<std::string>{"api 0.4.0", "common 2.1.0", "web 1.2.0"}));
    ASSERT_EQ(asked.size(), 2u);
    const auto& app = asked[host() + "/demo/app:1.0"];
    ASSERT_EQ(app.size(), 1u);  // the annotation's and the subchart's: one image, asked once by web
    EXPECT_NE(app[0].find("helm[0] web 1.2.0"), std::string::npos) << app[0];
    const auto& tool = asked[host() + "/demo/tool:2.0"];
    ASSERT_EQ(tool.size(), 2u);  // web's values.yaml and api's (tag from appVersion)
    EXPECT_NE(tool[0].find("helm[0] web 1.2.0"), std::string::npos) << tool[0];
    EXPECT_NE(tool[1].find("helm[1] api 0.4.0"), std::string::npos) << tool[1];
}

// rehearse: every chart's dependency is in the repository and every image found is carried;
// with the dependency and an image left out (re-signed), each is named.
TEST_F(HelmTripTest, RehearseNamesALeftOutDependencyAndImage)
{
    const auto out = pack_and_unpack(helm_manifest(web_and_api()));
    const auto bundle = dir() / "bundle.tar";
    const auto work = dir() / "work";
    stdfs::create_directories(work);
    const auto rehearse = [&](const stdfs::path& file) {
        return gapbundle({"--json", "rehearse", file.string(), "--trust", pub().string(), "--work-dir", work.string()});
    };
    const auto kind_of = [](const nlohmann::json& document, const std::string& kind) {
        for (const auto& item : document.at("kinds"))
            if (item.at("kind") == kind) return item;
        return nlohmann::json();
    };
    auto whole = rehearse(bundle);
    ASSERT_EQ(whole.status, 0) << whole.out << whole.err;
    const auto passed = kind_of(json_of(whole), "helm");
    EXPECT_EQ(passed.at("verdict"), "ok") << passed;
    EXPECT_EQ(passed.at("checked")[0], "3 chart(s): every dependency is vendored or in helm/index.yaml; 2 image(s) "
                                       "found in them are in oci/index.json")
        << passed;

    // helm/index.yaml without common, and the layout without the tool image.
    std::vector<sources::helm::LocalChart> kept;
    for (const auto& [name, version] : std::map<std::string, std::string>{{"api", "0.4.0"}, {"web", "1.2.0"}}) {
        const std::string file = name + "-" + version + ".tgz";
        kept.push_back({"v2", name, version, "", file, sha256_of(out / "helm" / file)});
    }
    auto layout = nlohmann::json::parse(read_text(out / "oci" / "index.json"));
    const std::string tool = host() + "/demo/tool:2.0";
    nlohmann::json manifests = nlohmann::json::array();
    for (const auto& entry : layout["manifests"])
        if (entry["annotations"]["org.opencontainers.image.ref.name"] != tool) manifests.push_back(entry);
    ASSERT_EQ(manifests.size() + 1, layout["manifests"].size());
    layout["manifests"] = manifests;
    const auto broken = dir() / "broken.tar";
    rewrite_bundle(bundle, out, key(), broken,
                   {{}, {{"helm", "common"}},
                    {{"helm/index.yaml", sources::helm::local_index_yaml(kept)}, {"oci/index.json", layout.dump()}}});
    auto rehearsed = rehearse(broken);
    EXPECT_EQ(rehearsed.status, 1) << rehearsed.out << rehearsed.err;
    const auto failed = kind_of(json_of(rehearsed), "helm");
    EXPECT_EQ(failed.at("verdict"), "FAILED") << failed;
    const auto problems = failed.at("problems").dump();
    EXPECT_NE(problems.find("web 1.2.0 depends on common"), std::string::npos) << problems;
    EXPECT_NE(problems.find(tool + " (asked for by helm[0] web 1.2.0"), std::string::npos) << problems;
    EXPECT_TRUE(stdfs::is_empty(work));
}

TEST_F(HelmTripTest, InstallPushesEveryChartAsAnOciArtifactOnce)
{
    const auto out = pack_and_unpack(helm_manifest(web_and_api()));
    auto first = gapbundle({"--json", "install", "helm", out.string(), "--registry", host(), "--insecure", "--prefix",
                            "mirror"});
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    const auto pushed = json_of(first);
    ASSERT_EQ(pushed["charts"].size(), 3u);
    EXPECT_EQ(pushed["total"]["manifests_pushed"], 3);
    EXPECT_EQ(pushed["total"]["tags_set"], 3);

    for (const auto& [name, version] : std::map<std::string, std::string>{{"api", "0.4.0"}, {"common", "2.1.0"}, {"web", "1.2.0"}}) {
        const auto manifest = nlohmann::json::parse(skopeo_raw("docker://" + host() + "/mirror/" + name + ":" + version));
        EXPECT_EQ(manifest["mediaType"], "application/vnd.oci.image.manifest.v1+json") << name;
        EXPECT_EQ(manifest["config"]["mediaType"], "application/vnd.cncf.helm.config.v1+json") << name;
        ASSERT_GE(manifest["layers"].size(), 1u) << name;
        EXPECT_EQ(manifest["layers"][0]["mediaType"], "application/vnd.cncf.helm.chart.content.v1.tar+gzip") << name;
        const std::string file = name + "-" + version + ".tgz";
        EXPECT_EQ(manifest["layers"][0]["digest"], "sha256:" + sha256_of(out / "helm" / file)) << name;
        EXPECT_EQ(manifest["layers"].size(), name == "web" ? 2u : 1u) << name;
        if (name == "web") {
            EXPECT_EQ(manifest["layers"][1]["mediaType"], "application/vnd.cncf.helm.chart.provenance.v1.prov");
            EXPECT_EQ(manifest["layers"][1]["digest"], "sha256:" + crypto::sha256_hex(k_prov));
        }
    }

    auto second = gapbundle({"--json", "install", "helm", out.string(), "--registry", host(), "--insecure", "--prefix",
                             "mirror"});
    ASSERT_EQ(second.status, 0) << second.out << second.err;
    const auto again = json_of(second);
    EXPECT_EQ(again["total"]["blobs_uploaded"], 0);
    EXPECT_EQ(again["total"]["manifests_pushed"], 0);
    EXPECT_EQ(again["total"]["tags_set"], 0);
    EXPECT_EQ(again["total"]["tags_present"], 3);
}

TEST_F(HelmTripTest, InstallRefusesAChartChangedSinceUnpackAndPushesNothing)
{
    const auto out = pack_and_unpack(helm_manifest("  - repo: " + charts_url() + "\n    chart: common\n"));
    flip_byte(out / "helm" / "common-2.1.0.tgz", 10);
    auto result = gapbundle({"install", "helm", out.string(), "--registry", host(), "--insecure", "--prefix", "tampered"});
    EXPECT_EQ(result.status, 1) << result.out << result.err;
    EXPECT_NE(result.err.find("common-2.1.0.tgz: sha256"), std::string::npos) << result.err;
    auto listed = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false",
                                                  "docker://" + host() + "/tampered/common:2.1.0"},
                              dir());
    EXPECT_NE(listed.status, 0);
}

TEST_F(HelmTripTest, ImagesNoneCarriesTheChartsOnly)
{
    const auto out = pack_and_unpack(helm_manifest("  - repo: " + charts_url() + "\n    chart: web\n    images: none\n"));
    EXPECT_TRUE(stdfs::exists(out / "helm" / "web-1.2.0.tgz"));  // the newest release: not the rc
    EXPECT_TRUE(stdfs::exists(out / "helm" / "common-2.1.0.tgz"));
    EXPECT_FALSE(stdfs::exists(out / "oci"));
}

TEST_F(HelmTripTest, ListedImagesReplaceTheFoundOnes)
{
    const auto bad = dir() / "bad.tar";
    expect_failure(pack(helm_manifest("  - repo: " + charts_url() + "\n    chart: common\n    images: [\"Not/Valid\"]\n"), bad),
                   2, "manifest.yaml:4:5: helm[0]: images: invalid image reference 'Not/Valid'", bad);
    const auto out = pack_and_unpack(
        helm_manifest("  - repo: " + charts_url() + "\n    chart: web\n    images: [\"" + host() + "/demo/tool:2.0\"]\n"));
    EXPECT_EQ(layout_refs(out), std::set<std::string>{host() + "/demo/tool:2.0"});
}

TEST_F(HelmTripTest, AVersionWithBuildMetadataIsATagWithAnUnderscore)
{
    const auto out = pack_and_unpack(
        helm_manifest("  - oci: oci://" + host() + "/charts/api\n    version: \"0.5.0+build.1\"\n    images: none\n"));
    EXPECT_TRUE(stdfs::exists(out / "helm" / "api-0.5.0+build.1.tgz"));
    EXPECT_EQ(layout_refs(out), std::set<std::string>{host() + "/charts/api:0.5.0_build.1"});
    const auto index = sources::helm::parse_chart_index(read_text(out / "helm" / "index.yaml"), "index.yaml");
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(index->entries.at("api").front().version, "0.5.0+build.1");
    auto pushed = gapbundle({"install", "helm", out.string(), "--registry", host(), "--insecure", "--prefix", "plus"});
    ASSERT_EQ(pushed.status, 0) << pushed.err;
    EXPECT_NE(pushed.out.find("/plus/api:0.5.0_build.1 "), std::string::npos) << pushed.out;

    // A constraint reads the tag list, '_' as '+'.
    const auto manifest =
        helm_manifest("  - oci: oci://" + host() + "/charts/api\n    version: \"~0.5\"\n    images: none\n");
    auto locked = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()});
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock = nlohmann::json::parse(read_text(dir() / "gapbundle.lock.json"));
    std::set<std::string> charts;
    for (const auto& artifact : lock["artifacts"])
        if (artifact["kind"] == "helm") charts.insert(artifact["bundle_path"].get<std::string>());
    EXPECT_EQ(charts, (std::set<std::string>{"helm/api-0.5.0+build.1.tgz", "helm/index.yaml"}));
}

TEST_F(HelmTripTest, APrivateRepositoryTakesItsCredentialsFromNetrc)
{
    const std::string prefix = "/private-" + std::string(dir().filename());
    for (const char* file : {"/index.yaml", "/common-2.1.0.tgz"})
        g_world->server->require_basic_auth(prefix + file, "charts-user", "s3cret-pass");
    g_world->server->serve_dir(prefix, g_world->repo);
    const auto manifest = helm_manifest("  - repo: " + charts_url(prefix) + "\n    chart: common\n");
    const auto bundle = dir() / "bundle.tar";
    auto denied = pack(manifest, bundle, {"NETRC=/nonexistent"});
    EXPECT_EQ(denied.status, 3) << denied.err;
    EXPECT_NE(denied.err.find("401"), std::string::npos) << denied.err;
    EXPECT_FALSE(stdfs::exists(bundle));
    write_text(dir() / "netrc", "machine 127.0.0.1 login charts-user password s3cret-pass\n");
    auto packed = pack(manifest, bundle, {"NETRC=" + (dir() / "netrc").string()});
    ASSERT_EQ(packed.status, 0) << packed.err;
    EXPECT_EQ(packed.err.find("s3cret-pass"), std::string::npos);
    auto listed = gapbundle({"inspect", bundle.string()});
    EXPECT_NE(listed.out.find("helm/common-2.1.0.tgz"), std::string::npos) << listed.out;
}

TEST_F(HelmTripTest, NoVersionMatchingListsTheVersions)
{
    const auto bundle = dir() / "bundle.tar";
    expect_failure(pack(helm_manifest(web_and_api("^3")), bundle), 3,
                   "chart 'web' has no version fitting '^3' (versions: 1.3.0-rc.1, 1.2.0, 1.1.0)", bundle);
    expect_failure(pack(helm_manifest(web_and_api("^1.1", "^9")), bundle), 3,
                   host() + "/charts/api has no version fitting '^9' (versions: 0.5.0+build.1, 0.4.0, 0.3.0)", bundle);
}

TEST_F(HelmTripTest, ADigestMismatchIsRefused)
{
    const auto copy = dir() / "bad-repo";
    stdfs::copy(g_world->repo, copy, stdfs::copy_options::recursive);
    std::string index = read_text(copy / "index.yaml");
    const std::string real = sha256_of(copy / "web-1.2.0.tgz");
    index.replace(index.find(real), real.size(), std::string(64, '0'));
    write_text(copy / "index.yaml", index);
    g_world->server->serve_dir("/bad-" + std::string(dir().filename()), copy);
    const auto bundle = dir() / "bundle.tar";
    expect_failure(pack(helm_manifest("  - repo: " + charts_url("/bad-" + std::string(dir().filename())) +
                                      "\n    chart: web\n    images: none\n"),
                        bundle),
                   3, "web-1.2.0.tgz", bundle);
    const auto again = pack(helm_manifest("  - repo: " + charts_url("/bad-" + std::string(dir().filename())) +
                                          "\n    chart: web\n    images: none\n"),
                            bundle);
    EXPECT_NE(again.err.find("sha256"), std::string::npos) << again.err;
}

TEST_F(HelmTripTest, ABrokenIndexNamesItsLine)
{
    const auto broken = dir() / "broken";
    write_text(broken / "index.yaml", "apiVersion: v1\nentries:\n  web:\n    - name: web\n   version: [1.0\n");
    g_world->server->serve_dir("/broken-" + std::string(dir().filename()), broken);
    const auto bundle = dir() / "bundle.tar";
    expect_failure(pack(helm_manifest("  - repo: " + charts_url("/broken-" + std::string(dir().filename())) +
                                      "\n    chart: web\n"),
                        bundle),
                   3, "/index.yaml:5:", bundle);
}

TEST_F(HelmTripTest, ADependencyInAnOciRegistryIsCarriedToo)
{
    const auto stack_repo = dir() / "stack";
    ChartDef stack{"stack", "1.0.0", "", "dependencies:\n  - name: api\n    version: \"~0.4\"\n    repository: oci://" +
                                             host() + "/charts\n",
                   "", {}, {}};
    const auto tgz = build_chart(stack_repo, stack);
    write_text(stack_repo / "index.yaml",
               "apiVersion: v1\nentries:\n  stack:\n" + index_entry(tgz, "stack", "1.0.0", "stack-1.0.0.tgz"));
    g_world->server->serve_dir("/stack-" + std::string(dir().filename()), stack_repo);
    const auto out = pack_and_unpack(
        helm_manifest("  - repo: " + charts_url("/stack-" + std::string(dir().filename())) + "\n    chart: stack\n"));
    EXPECT_TRUE(stdfs::exists(out / "helm" / "stack-1.0.0.tgz"));
    EXPECT_TRUE(stdfs::exists(out / "helm" / "api-0.4.0.tgz"));
    EXPECT_EQ(layout_refs(out), (std::set<std::string>{host() + "/charts/api:0.4.0", host() + "/demo/tool:2.0"}));
}

TEST_F(HelmTripTest, ADependencyOnlyARepoAliasNamesIsAManifestError)
{
    const auto aliased = dir() / "aliased";
    ChartDef app{"app", "1.0.0", "", "dependencies:\n  - name: common\n    version: \"^2\"\n    repository: \"@stable\"\n",
                 "", {}, {}};
    const auto tgz = build_chart(aliased, app);
    write_text(aliased / "index.yaml",
               "apiVersion: v1\nentries:\n  app:\n" + index_entry(tgz, "app", "1.0.0", "app-1.0.0.tgz"));
    g_world->server->serve_dir("/aliased-" + std::string(dir().filename()), aliased);
    const auto bundle = dir() / "bundle.tar";
    expect_failure(pack(helm_manifest("  - repo: " + charts_url("/aliased-" + std::string(dir().filename())) +
                                      "\n    chart: app\n"),
                        bundle),
                   2, "app 1.0.0: dependency 'common': repository '@stable'", bundle);
}

}  // namespace
}  // namespace gapbundle::testing
