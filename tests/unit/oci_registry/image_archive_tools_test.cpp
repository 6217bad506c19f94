// The archive read by the real tools: skopeo's docker-archive: transport reads manifest.json as
// docker load does, its oci-archive: transport reads the OCI layout as containerd's import does.
// (No Docker daemon or containerd runs on the test machines.)

#include "image_archive_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

namespace gapbundle::testing {
namespace {

std::vector<std::string> digests(const std::vector<Descriptor>& descriptors)
{
    std::vector<std::string> out;
    for (const auto& d : descriptors) out.push_back(d.digest);
    return out;
}

class ImageArchiveToolsTest : public ImageArchiveTest {
protected:
    // skopeo inspect --raw: the manifest of the image, as the transport presents it.
    nlohmann::json raw_manifest(const std::string& transport_ref) const
    {
        return nlohmann::json::parse(run("/usr/bin/skopeo", {"inspect", "--raw", transport_ref}).out);
    }
    nlohmann::json inspect(const std::string& transport_ref) const
    {
        return nlohmann::json::parse(run("/usr/bin/skopeo", {"inspect", transport_ref}).out);
    }
    std::string docker_archive(const std::string& ref) const
    {
        return "docker-archive:" + output().string() + ":" + ref;
    }
    std::string oci_archive(const std::string& ref) const { return "oci-archive:" + output().string() + ":" + ref; }

    void expect_docker_image(const std::string& ref, const BuiltImage& image) const
    {
        SCOPED_TRACE(ref);
        const auto manifest = raw_manifest(docker_archive(ref));
        EXPECT_EQ(manifest["config"]["digest"], image.config.digest);
        std::vector<std::string> layers;
        for (const auto& layer : manifest["layers"]) layers.push_back(layer["digest"]);
        EXPECT_EQ(layers, digests(image.layers));
        EXPECT_EQ(inspect(docker_archive(ref))["Layers"], nlohmann::json(digests(image.layers)));
    }
};

TEST_F(ImageArchiveToolsTest, SkopeoReadsDockerArchiveByFamiliarAndFullNames)
{
    ASSERT_TRUE(write());
    expect_docker_image("python:3.11-slim", m_python);
    expect_docker_image(k_python_ref, m_python);
    expect_docker_image("127.0.0.1:5000/demo/app:1.0", m_app);
    expect_docker_image("multi:2", m_amd64);
}

TEST_F(ImageArchiveToolsTest, SkopeoReadsDockerArchiveArm64Child)
{
    sources::oci::ArchiveOptions options;
    options.platform = "linux/arm64";
    ASSERT_TRUE(write(options));
    expect_docker_image("multi:2", m_arm64);
    EXPECT_EQ(inspect(docker_archive("multi:2"))["Architecture"], "arm64");
}

TEST_F(ImageArchiveToolsTest, SkopeoReadsOciArchiveWithLayoutDigests)
{
    sources::oci::ArchiveOptions options;
    options.refs = {"python:3.11-slim", k_multi_ref};
    ASSERT_TRUE(write(options));
    // The OCI ref name is the tag alone, as docker save writes it.
    const std::string python = run("/usr/bin/skopeo", {"inspect", "--raw", oci_archive("3.11-slim")}).out;
    EXPECT_EQ(python, m_python.manifest_bytes);
    EXPECT_EQ("sha256:" + crypto::sha256_hex(python), m_python.manifest.digest);
    const std::string index = run("/usr/bin/skopeo", {"inspect", "--raw", oci_archive("2")}).out;
    EXPECT_EQ("sha256:" + crypto::sha256_hex(index), m_index.digest);
    EXPECT_EQ(inspect(oci_archive("2"))["Layers"], nlohmann::json(digests(m_amd64.layers)));
}

TEST_F(ImageArchiveToolsTest, SkopeoCopiesBothTransportsIntoALayout)
{
    ASSERT_TRUE(write());
    // docker-archive: gives no registry manifest, so skopeo writes a new one and gzips the layers;
    // what survives is the layers' content, the config's diff_ids.
    const std::string from_docker = "oci:" + (dir() / "from-docker").string() + ":app";
    run("/usr/bin/skopeo", {"copy", "--quiet", docker_archive("127.0.0.1:5000/demo/app:1.0"), from_docker});
    const auto config = nlohmann::json::parse(run("/usr/bin/skopeo", {"inspect", "--config", from_docker}).out);
    EXPECT_EQ(config["rootfs"]["diff_ids"], nlohmann::json(digests(m_app.layers)));

    const std::string from_oci = "oci:" + (dir() / "from-oci").string() + ":multi";
    run("/usr/bin/skopeo", {"copy", "--quiet", "--all", "--preserve-digests", oci_archive("2"), from_oci});
    const std::string index = run("/usr/bin/skopeo", {"inspect", "--raw", from_oci}).out;
    EXPECT_EQ("sha256:" + crypto::sha256_hex(index), m_index.digest);
}

TEST_F(ImageArchiveToolsTest, UmociListsTheExtractedLayout)
{
    ASSERT_TRUE(write());
    const auto extracted = dir() / "extracted";
    std::filesystem::create_directories(extracted);
    run("/usr/bin/tar", {"-xf", output(), "-C", extracted});
    const std::string tags = run("/usr/bin/umoci", {"ls", "--layout", extracted}).out;
    EXPECT_EQ(tags, "1.0\n3.11-slim\n2\n");
    run("/usr/bin/umoci", {"stat", "--image", extracted.string() + ":3.11-slim"});
}

// Docker Hub still serves many images as Docker schema 2 with gzip layers; docker load and
// skopeo's docker-archive: detect the compression, and name layers by their diff_ids.
TEST_F(ImageArchiveToolsTest, CarriesDockerSchema2WithGzipLayers)
{
    OciLayout docker_layout(dir() / "docker-layout");
    const std::string layer = tar_with_file("hello.txt", "hello\n");
    write_text(dir() / "layer.tar", layer);
    run("/usr/bin/gzip", {"-n", "-k", (dir() / "layer.tar").string()});
    const Descriptor gz = docker_layout.add_raw_blob("application/vnd.docker.image.rootfs.diff.tar.gzip",
                                                     read_text(dir() / "layer.tar.gz"));
    const std::string diff_id = "sha256:" + crypto::sha256_hex(layer);
    const nlohmann::json config_json = {{"architecture", "amd64"},
                                        {"os", "linux"},
                                        {"config", nlohmann::json::object()},
                                        {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}};
    const Descriptor config =
        docker_layout.add_raw_blob("application/vnd.docker.container.image.v1+json", config_json.dump());
    const auto descriptor = [](const Descriptor& d) {
        return nlohmann::json{{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
    };
    const nlohmann::json manifest_json = {{"schemaVersion", 2},
                                          {"mediaType", "application/vnd.docker.distribution.manifest.v2+json"},
                                          {"config", descriptor(config)},
                                          {"layers", {descriptor(gz)}}};
    const Descriptor manifest =
        docker_layout.add_raw_blob("application/vnd.docker.distribution.manifest.v2+json", manifest_json.dump());
    docker_layout.tag(manifest, "docker.io/team/hello:1");

    auto written = sources::oci::write_image_archive(docker_layout.folder(), output(), {});
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(member(blob_member(gz)), read_text(dir() / "layer.tar.gz"));
    EXPECT_EQ(member_json("manifest.json")[0]["Layers"], nlohmann::json::array({blob_member(gz)}));
    const auto raw = raw_manifest(docker_archive("team/hello:1"));
    EXPECT_EQ(raw["config"]["digest"], config.digest);
    EXPECT_EQ(raw["layers"][0]["digest"], diff_id);
    run("/usr/bin/skopeo",
        {"copy", "--quiet", docker_archive("team/hello:1"), "oci:" + (dir() / "copy").string() + ":x"});
}

}  // namespace
}  // namespace gapbundle::testing
