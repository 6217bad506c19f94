// Container images on the connected side: a real docker-registry as the source, images built with
// umoci and pushed with skopeo, then pack → verify → unpack, and skopeo reading the bundle's OCI
// layout with the registry's digests.
#include "trip_fixture.hpp"
#include "umoci_images.hpp"

#include "../unit/oci_registry/oci_layout.hpp"
#include "support/cyclonedx_schema.hpp"
#include "support/registry_server.hpp"

#include <gapbundle/crypto/sha256.hpp>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class ImagesPackTest : public TripTest {
protected:
    void start_registry(RegistryAuthMode mode = RegistryAuthMode::open)
    {
        registry = std::make_unique<RegistryServer>(dir() / "registry", mode);
    }

    // Pushes the umoci-built images as demo/app:1.0 and demo/tool:2.0.
    void push_umoci_images()
    {
        const auto layout = build_umoci_images(dir() / "build");
        registry->push(layout, "app", "demo/app:1.0");
        registry->push(layout, "tool", "demo/tool:2.0");
    }

    std::string ref(const std::string& repository_tag) const { return registry->host() + "/" + repository_tag; }

    stdfs::path write_images_manifest(const std::string& images_yaml, const std::string& registry_settings = "")
    {
        const auto path = dir() / "manifest.yaml";
        const std::string settings = registry_settings.empty() ? "{ insecure: true }" : registry_settings;
        write_text(path, "apiVersion: gapbundle/v1\nname: images\nimages:\n" + images_yaml + "registries:\n  \"" +
                             registry->host() + "\": " + settings + "\n");
        return path;
    }

    RunResult pack(const stdfs::path& manifest, const stdfs::path& bundle, const std::vector<std::string>& env = {},
                   const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> args{"--json", "pack", manifest.string(), "--key", key().string(), "-o",
                                      bundle.string(), "--cache-dir", cache().string(), "--retries", "3"};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args, env);
    }

    // The sha256 of what skopeo reads raw at `location` ("docker://...", "oci:DIR:REF").
    std::string skopeo_raw_digest(const std::string& location)
    {
        std::vector<std::string> args{"inspect", "--raw"};
        if (location.starts_with("docker://")) args.push_back("--tls-verify=false");
        args.push_back(location);
        auto result = run_program("/usr/bin/skopeo", args, dir());
        EXPECT_EQ(result.status, 0) << location << ": " << result.err;
        return "sha256:" + crypto::sha256_hex(result.out);
    }

    // The same against a registry that wants the test credentials.
    std::string skopeo_raw_digest_with_creds(const std::string& location)
    {
        auto result = run_program("/usr/bin/skopeo",
                                  {"inspect", "--raw", "--tls-verify=false", "--creds",
                                   std::string(RegistryServer::k_user) + ":" + RegistryServer::k_password, location},
                                  dir());
        EXPECT_EQ(result.status, 0) << location << ": " << result.err;
        return "sha256:" + crypto::sha256_hex(result.out);
    }

    std::string skopeo_raw(const std::string& location)
    {
        auto result = run_program("/usr/bin/skopeo", {"inspect", "--raw", location}, dir());
        EXPECT_EQ(result.status, 0) << location << ": " << result.err;
        return result.out;
    }

    void unpack_ok(const stdfs::path& bundle, const stdfs::path& out)
    {
        auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
        ASSERT_EQ(verify.status, 0) << verify.out << verify.err;
        auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
        ASSERT_EQ(unpack.status, 0) << unpack.out << unpack.err;
    }

    std::unique_ptr<RegistryServer> registry;
};

TEST_F(ImagesPackTest, TwoImagesSharingALayerLandAsAnOciLayoutSkopeoReads)
{
    start_registry();
    push_umoci_images();
    const auto manifest = write_images_manifest("  - ref: " + ref("demo/app:1.0") + "\n  - " + ref("demo/tool:2.0") + "\n");
    const auto bundle = dir() / "images.tar";
    auto packed = pack(manifest, bundle);
    ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
    // 2 manifests, 2 configs, 4 distinct layers (the shared one fetched once).
    EXPECT_EQ(json_of(packed)["downloaded"], 8) << packed.out;

    const auto out = dir() / "out";
    unpack_ok(bundle, out);
    EXPECT_EQ(read_text(out / "oci/oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
    for (const std::string image : {"demo/app:1.0", "demo/tool:2.0"}) {
        const std::string source = skopeo_raw_digest("docker://" + ref(image));
        EXPECT_EQ(skopeo_raw_digest("oci:" + (out / "oci").string() + ":" + ref(image)), source) << image;
    }
    // skopeo can copy an image out of the layout, every blob present and matching.
    auto copy = run_program("/usr/bin/skopeo",
                            {"copy", "oci:" + (out / "oci").string() + ":" + ref("demo/app:1.0"),
                             "oci:" + (dir() / "copy").string() + ":app"},
                            dir());
    EXPECT_EQ(copy.status, 0) << copy.err;
    // umoci reads the layout too.
    auto listed = run_program("/usr/bin/umoci", {"ls", "--layout", (out / "oci").string()}, dir());
    EXPECT_EQ(listed.status, 0) << listed.err;
    EXPECT_NE(listed.out.find(ref("demo/app:1.0")), std::string::npos) << listed.out;

    // Each image is a component at the registry's digest; the SBOM names it as pkg:oci.
    const auto index = nlohmann::json::parse(read_text(out / "gapbundle" / "index.json"));
    ASSERT_EQ(index.at("components").size(), 2u) << index.at("components");
    const auto sbom_path = out / "gapbundle" / "sbom.cdx.json";
    const auto checked = validate_cyclonedx(sbom_path, dir());
    EXPECT_EQ(checked.status, 0) << checked.err;
    const auto sbom = nlohmann::json::parse(read_text(sbom_path));
    const auto named = [](const nlohmann::json& list, const std::string& name) -> const nlohmann::json* {
        for (const auto& item : list)
            if (item.at("name") == name) return &item;
        return nullptr;
    };
    for (const auto& [image, blobs] : {std::pair<std::string, std::size_t>{"demo/app:1.0", 5}, {"demo/tool:2.0", 4}}) {
        const std::string digest = skopeo_raw_digest("docker://" + ref(image));
        const auto* component = named(index.at("components"), ref(image));
        ASSERT_NE(component, nullptr) << image;
        EXPECT_EQ(component->at("kind"), "images");
        EXPECT_EQ(component->at("version"), digest);
        EXPECT_EQ(component->at("requested"), nlohmann::json::array({ref(image)}));
        // Its manifest, config and layers (app: the base layer and 2 of its own; tool: the base
        // layer and 1), the shared base layer under both.
        EXPECT_EQ(component->at("paths").size(), blobs) << component->at("paths");
        const auto* item = named(sbom.at("components"), ref(image));
        ASSERT_NE(item, nullptr) << image;
        const std::string name = image.substr(image.find('/') + 1, image.find(':') - image.find('/') - 1);
        const std::string repository = ref(image).substr(0, ref(image).rfind(':'));
        EXPECT_EQ(item->at("purl"), "pkg:oci/" + name + "@sha256%3A" + digest.substr(7) + "?repository_url=" + repository +
                                        "&tag=" + image.substr(image.find(':') + 1));
        EXPECT_EQ(item->at("type"), "container");
    }

    // The lock records the digests, with registry locations and no credentials.
    auto lock = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string(), "-o", (dir() / "lock.json").string()});
    ASSERT_EQ(lock.status, 0) << lock.err;
    const std::string lock_text = read_text(dir() / "lock.json");
    const std::string app_digest = skopeo_raw_digest("docker://" + ref("demo/app:1.0"));
    EXPECT_NE(lock_text.find("oci://" + ref("demo/app") + "/manifests/" + app_digest), std::string::npos) << lock_text;
}

TEST_F(ImagesPackTest, TheWholeTripEndsInTheGapsRegistryWithTheSourceDigests)
{
    start_registry();
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/app:1.0") + "\n  - " + ref("demo/tool:2.0") + "\n");
    auto packed = pack(manifest, dir() / "images.tar.zst");
    ASSERT_EQ(packed.status, 0) << packed.err;
    unpack_ok(dir() / "images.tar.zst", dir() / "out");

    RegistryServer gap(dir() / "gap-registry", RegistryAuthMode::token);
    const std::vector<std::string> creds{"GAP_USER=tester", std::string("GAP_PASS=") + RegistryServer::k_password};
    auto installed = gapbundle({"install", "images", (dir() / "out").string(), "--registry", gap.host(), "--insecure",
                                "--prefix", "mirror", "--creds-env", "GAP_USER:GAP_PASS"},
                               creds);
    ASSERT_EQ(installed.status, 0) << installed.out << installed.err;
    for (const std::string image : {"demo/app:1.0", "demo/tool:2.0"}) {
        EXPECT_EQ(skopeo_raw_digest_with_creds("docker://" + gap.host() + "/mirror/" + image),
                  skopeo_raw_digest("docker://" + ref(image)))
            << image;
    }
}

TEST_F(ImagesPackTest, SecondPackDownloadsNothingAndALockRebuildsWithAColdCache)
{
    start_registry();
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/app:1.0") + "\n");
    auto first = pack(manifest, dir() / "first.tar");
    ASSERT_EQ(first.status, 0) << first.err;
    auto second = pack(manifest, dir() / "second.tar");
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(json_of(second)["downloaded"], 0) << second.out;
    EXPECT_EQ(json_of(second)["bytes_downloaded"], 0) << second.out;

    auto lock = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string(), "-o", (dir() / "lock.json").string()});
    ASSERT_EQ(lock.status, 0) << lock.err;
    stdfs::remove_all(cache());
    auto from_lock = pack(manifest, dir() / "third.tar", {}, {"--lock", (dir() / "lock.json").string()});
    ASSERT_EQ(from_lock.status, 0) << from_lock.err;
    EXPECT_EQ(json_of(from_lock)["downloaded"], 5) << from_lock.out;  // manifest, config, 3 layers
    unpack_ok(dir() / "third.tar", dir() / "out");
    EXPECT_EQ(skopeo_raw_digest("oci:" + (dir() / "out/oci").string() + ":" + ref("demo/app:1.0")),
              skopeo_raw_digest("docker://" + ref("demo/app:1.0")));
}

TEST_F(ImagesPackTest, FetchFillsTheCacheSoThatPackDownloadsNothing)
{
    start_registry();
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/app:1.0") + "\n  - " + ref("demo/tool:2.0") + "\n");
    auto fetched = gapbundle({"--json", "fetch", manifest.string(), "--cache-dir", cache().string()});
    ASSERT_EQ(fetched.status, 0) << fetched.err;
    EXPECT_EQ(json_of(fetched)["downloaded"], 8) << fetched.out;
    EXPECT_EQ(json_of(fetched)["artifacts"], 10) << fetched.out;  // and oci-layout, index.json
    EXPECT_FALSE(stdfs::exists(dir() / "images.tar"));
    auto packed = pack(manifest, dir() / "images.tar");
    ASSERT_EQ(packed.status, 0) << packed.err;
    EXPECT_EQ(json_of(packed)["downloaded"], 0) << packed.out;
    auto again = gapbundle({"--json", "fetch", manifest.string(), "--cache-dir", cache().string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(json_of(again)["bytes_downloaded"], 0) << again.out;
}

class MultiArchTest : public ImagesPackTest {
protected:
    void SetUp() override
    {
        ImagesPackTest::SetUp();
        start_registry();
        OciLayout layout(dir() / "multi");
        amd64 = layout.add_image("amd64", {{"arch.txt", "amd64\n"}});
        arm64 = layout.add_image("arm64", {{"arch.txt", "arm64\n"}});
        index = layout.add_index({{amd64, "amd64"}, {arm64, "arm64"}});
        layout.tag(index, "multi");
        registry->push(layout.folder(), "multi", "demo/multi:1", true);
    }

    // Packs demo/multi:1 with `platforms_yaml` and returns the raw top manifest in the layout.
    std::string pack_top(const std::string& platforms_yaml)
    {
        const auto manifest = write_images_manifest("  - ref: " + ref("demo/multi:1") + "\n" + platforms_yaml);
        const auto bundle = dir() / "multi.tar";
        stdfs::remove(bundle);
        auto packed = pack(manifest, bundle);
        EXPECT_EQ(packed.status, 0) << packed.err;
        stdfs::remove_all(dir() / "out");
        unpack_ok(bundle, dir() / "out");
        return skopeo_raw("oci:" + (dir() / "out/oci").string() + ":" + ref("demo/multi:1"));
    }

    // The platforms the signed index records for the image of the last pack_top.
    nlohmann::json indexed_platforms()
    {
        auto exported = gapbundle({"inspect", "--index", (dir() / "multi.tar").string()});
        EXPECT_EQ(exported.status, 0) << exported.err;
        const auto component = nlohmann::json::parse(exported.out)["components"].at(0);
        EXPECT_EQ(component["kind"], "images");
        return component.value("platforms", nlohmann::json());
    }

    BuiltImage amd64, arm64;
    Descriptor index;
};

TEST_F(MultiArchTest, DefaultPlatformKeepsTheAmd64ManifestByteForByte)
{
    const std::string top = pack_top("");
    EXPECT_EQ("sha256:" + crypto::sha256_hex(top), amd64.manifest.digest);
    EXPECT_FALSE(stdfs::exists(dir() / "out/oci/blobs/sha256" / arm64.manifest.digest.substr(7)));
    EXPECT_EQ(indexed_platforms(), nlohmann::json::array({"linux/amd64"}));
}

TEST_F(MultiArchTest, SeveralPlatformsGetANewIndexOverTheOriginalManifests)
{
    const std::string top = pack_top("    platforms: [linux/arm64, linux/amd64]\n");
    const auto document = nlohmann::json::parse(top);
    ASSERT_EQ(document["manifests"].size(), 2u) << top;
    EXPECT_EQ(document["manifests"][0]["digest"], arm64.manifest.digest);
    EXPECT_EQ(document["manifests"][1]["digest"], amd64.manifest.digest);
    EXPECT_NE("sha256:" + crypto::sha256_hex(top), index.digest);
    EXPECT_TRUE(stdfs::exists(dir() / "out/oci/blobs/sha256" / arm64.manifest.digest.substr(7)));
    EXPECT_EQ(indexed_platforms(), nlohmann::json::array({"linux/amd64", "linux/arm64"}));
}

TEST_F(MultiArchTest, AllKeepsTheIndexByteForByte)
{
    const std::string top = pack_top("    platforms: all\n");
    EXPECT_EQ("sha256:" + crypto::sha256_hex(top), index.digest);
    EXPECT_EQ(indexed_platforms(), nlohmann::json::array({"linux/amd64", "linux/arm64"}));
}

TEST_F(MultiArchTest, AMissingPlatformIsNamedWithWhatIsThere)
{
    const auto manifest = write_images_manifest("  - ref: " + ref("demo/multi:1") + "\n    platforms: [linux/s390x]\n");
    auto packed = pack(manifest, dir() / "b.tar");
    EXPECT_EQ(packed.status, 2) << packed.err;
    EXPECT_NE(packed.out.find("no linux/s390x image"), std::string::npos) << packed.out;
    EXPECT_NE(packed.out.find("linux/arm64"), std::string::npos) << packed.out;
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

TEST_F(ImagesPackTest, BasicAuthCredentialsComeFromTheVariablesTheManifestNames)
{
    start_registry(RegistryAuthMode::basic);
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/tool:2.0") + "\n",
                                                "{ insecure: true, username_env: REG_USER, password_env: REG_PASS }");
    auto unset = pack(manifest, dir() / "b.tar", {"REG_USER=", "REG_PASS="});
    EXPECT_EQ(unset.status, 2) << unset.out;
    EXPECT_NE(unset.out.find("REG_USER"), std::string::npos) << unset.out;

    auto wrong = pack(manifest, dir() / "b.tar", {"REG_USER=tester", "REG_PASS=not-the-password"});
    EXPECT_EQ(wrong.status, 3) << wrong.out;
    EXPECT_NE(wrong.out.find("check the credentials"), std::string::npos) << wrong.out;
    EXPECT_EQ(wrong.out.find("not-the-password"), std::string::npos);
    EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos);
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));

    auto right = pack(manifest, dir() / "b.tar", {"REG_USER=tester", std::string("REG_PASS=") + RegistryServer::k_password},
                      {"-vv"});
    ASSERT_EQ(right.status, 0) << right.out << right.err;
    EXPECT_EQ(right.err.find(RegistryServer::k_password), std::string::npos);  // not even in trace logs
    EXPECT_EQ(right.out.find(RegistryServer::k_password), std::string::npos);
    auto lock = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string(), "-o", (dir() / "lock.json").string()},
                          {"REG_USER=tester", std::string("REG_PASS=") + RegistryServer::k_password});
    ASSERT_EQ(lock.status, 0) << lock.err;
    EXPECT_EQ(read_text(dir() / "lock.json").find(RegistryServer::k_password), std::string::npos);
}

TEST_F(ImagesPackTest, DockerConfigJsonCredentialsWorkForATokenRegistry)
{
    start_registry(RegistryAuthMode::token);
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/tool:2.0") + "\n");
    const auto docker_config = [&](const std::string& auth) {
        write_text(dir() / "docker/config.json",
                   R"({"auths": {"http://)" + registry->host() + R"(/v1/": {"auth": ")" + auth + R"("}}})");
    };
    docker_config("dGVzdGVyOndyb25n");  // base64("tester:wrong")
    auto wrong = pack(manifest, dir() / "b.tar", {"DOCKER_CONFIG=" + (dir() / "docker").string()});
    EXPECT_EQ(wrong.status, 3) << wrong.out;
    EXPECT_NE(wrong.out.find("check the credentials"), std::string::npos) << wrong.out;

    docker_config("dGVzdGVyOnBhNTUtdzByZA==");  // base64("tester:pa55-w0rd")
    auto packed = pack(manifest, dir() / "b.tar", {"DOCKER_CONFIG=" + (dir() / "docker").string()});
    ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
    const auto sent = registry->token_authorizations();
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(sent.back(), "Basic dGVzdGVyOnBhNTUtdzByZA==");
}

TEST_F(ImagesPackTest, AnUnknownTagIsAClearErrorNamingTheImage)
{
    start_registry();
    push_umoci_images();
    const auto manifest = write_images_manifest("  - " + ref("demo/app:9.9") + "\n");
    auto packed = pack(manifest, dir() / "b.tar");
    EXPECT_EQ(packed.status, 3) << packed.out;
    EXPECT_NE(packed.out.find(ref("demo/app:9.9")), std::string::npos) << packed.out;
    EXPECT_NE(packed.out.find("does the tag exist?"), std::string::npos) << packed.out;
}

TEST_F(ImagesPackTest, AnInvalidReferenceIsAManifestErrorWithItsLocation)
{
    start_registry();
    const auto manifest = write_images_manifest("  - ref: " + ref("Demo/App:1") + "\n");
    auto packed = pack(manifest, dir() / "b.tar");
    EXPECT_EQ(packed.status, 2) << packed.out;
    EXPECT_NE(packed.out.find("manifest.yaml:4:5: images[0]"), std::string::npos) << packed.out;
}

}  // namespace
}  // namespace gapbundle::testing
