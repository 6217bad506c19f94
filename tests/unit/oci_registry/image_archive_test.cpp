#include "image_archive_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <algorithm>
#include <set>

namespace gapbundle::testing {
namespace {

using sources::oci::ArchiveOptions;

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

std::vector<std::string> layer_members(const BuiltImage& image)
{
    std::vector<std::string> out;
    for (const auto& layer : image.layers) out.push_back("blobs/sha256/" + layer.digest.substr(7));
    return out;
}

TEST_F(ImageArchiveTest, WritesEveryBlobOnceWithTheLayoutFiles)
{
    auto written = write();
    ASSERT_TRUE(written) << written.error().message;

    // app and python share their first layer; the index adds itself and two images.
    const std::set<std::string> expected_blobs = {
        blob_member(m_app.manifest),     blob_member(m_app.config),      blob_member(m_app.layers[0]),
        blob_member(m_app.layers[1]),    blob_member(m_python.manifest), blob_member(m_python.config),
        blob_member(m_python.layers[1]), blob_member(m_index),           blob_member(m_amd64.manifest),
        blob_member(m_amd64.config),     blob_member(m_amd64.layers[0]), blob_member(m_arm64.manifest),
        blob_member(m_arm64.config),     blob_member(m_arm64.layers[0])};
    EXPECT_EQ(written->images, 3U);
    EXPECT_EQ(written->blobs, expected_blobs.size());

    const auto listing = lines(run("/usr/bin/tar", {"-tf", output()}).out);
    const std::set<std::string> unique(listing.begin(), listing.end());
    EXPECT_EQ(unique.size(), listing.size()) << "duplicate members";
    std::set<std::string> expected = expected_blobs;
    expected.insert({"blobs/", "blobs/sha256/", "index.json", "manifest.json", "oci-layout"});
    EXPECT_EQ(unique, expected);
    EXPECT_TRUE(std::is_sorted(listing.begin(), listing.end()));

    EXPECT_EQ(member(blob_member(m_app.layers[0])), m_app.layer_bytes[0]);
    EXPECT_EQ(member(blob_member(m_app.manifest)), m_app.manifest_bytes);
    EXPECT_EQ(member("oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
}

TEST_F(ImageArchiveTest, WritesOwnerlessEntriesWithMtimeZero)
{
    ASSERT_TRUE(write());
    const auto listing = lines(run("/usr/bin/tar", {"--numeric-owner", "--full-time", "-tvf", output()}).out);
    ASSERT_FALSE(listing.empty());
    for (const auto& line : listing) {
        EXPECT_NE(line.find(" 0/0 "), std::string::npos) << line;
        EXPECT_NE(line.find("1970-01-01 00:00:00"), std::string::npos) << line;
    }
}

TEST_F(ImageArchiveTest, NamesImagesInIndexJsonAsDockerSaveDoes)
{
    ASSERT_TRUE(write());
    const auto index = member_json("index.json");
    EXPECT_EQ(index["schemaVersion"], 2);
    EXPECT_EQ(index["mediaType"], "application/vnd.oci.image.index.v1+json");
    ASSERT_EQ(index["manifests"].size(), 3U);
    const auto& app = index["manifests"][0];
    EXPECT_EQ(app["digest"], m_app.manifest.digest);
    EXPECT_EQ(app["mediaType"], m_app.manifest.media_type);
    EXPECT_EQ(app["size"], m_app.manifest.size);
    EXPECT_EQ(app["annotations"]["io.containerd.image.name"], k_app_ref);
    EXPECT_EQ(app["annotations"]["org.opencontainers.image.ref.name"], "1.0");
    const auto& multi = index["manifests"][2];
    EXPECT_EQ(multi["digest"], m_index.digest);
    EXPECT_EQ(multi["annotations"]["io.containerd.image.name"], k_multi_ref);
    EXPECT_EQ(multi["annotations"]["org.opencontainers.image.ref.name"], "2");
}

TEST_F(ImageArchiveTest, DescribesEachImageInManifestJsonWithFamiliarTags)
{
    ASSERT_TRUE(write());
    const auto docker = member_json("manifest.json");
    ASSERT_EQ(docker.size(), 3U);
    EXPECT_EQ(docker[0]["Config"], blob_member(m_app.config));
    EXPECT_EQ(docker[0]["RepoTags"], nlohmann::json::array({"127.0.0.1:5000/demo/app:1.0"}));
    EXPECT_EQ(docker[0]["Layers"], nlohmann::json(layer_members(m_app)));
    EXPECT_EQ(docker[1]["Config"], blob_member(m_python.config));
    EXPECT_EQ(docker[1]["RepoTags"], nlohmann::json::array({"python:3.11-slim"}));
    EXPECT_EQ(docker[1]["Layers"], nlohmann::json(layer_members(m_python)));
    // The index is described by its linux/amd64 child.
    EXPECT_EQ(docker[2]["Config"], blob_member(m_amd64.config));
    EXPECT_EQ(docker[2]["RepoTags"], nlohmann::json::array({"multi:2"}));
    EXPECT_EQ(docker[2]["Layers"], nlohmann::json(layer_members(m_amd64)));
}

TEST_F(ImageArchiveTest, PlatformOptionPicksTheIndexChild)
{
    ArchiveOptions options;
    options.refs = {k_multi_ref};
    options.platform = "linux/arm64";
    auto written = write(options);
    ASSERT_TRUE(written) << written.error().message;
    const auto docker = member_json("manifest.json");
    ASSERT_EQ(docker.size(), 1U);
    EXPECT_EQ(docker[0]["Config"], blob_member(m_arm64.config));
    EXPECT_EQ(docker[0]["Layers"], nlohmann::json(layer_members(m_arm64)));
    // The whole index still travels, so its digest stays valid for containerd.
    EXPECT_EQ(member(blob_member(m_amd64.manifest)), m_amd64.manifest_bytes);
}

TEST_F(ImageArchiveTest, RejectsPlatformTheIndexLacks)
{
    ArchiveOptions options;
    options.platform = "linux/s390x";
    auto written = write(options);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::usage);
    EXPECT_EQ(written.error().message,
              "no linux/s390x image in docker.io/library/multi:2 (available: linux/amd64, linux/arm64)");
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, SelectsByFullAndFamiliarReferences)
{
    ArchiveOptions options;
    options.refs = {"python:3.11-slim", "127.0.0.1:5000/demo/app:1.0"};
    auto written = write(options);
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(written->images, 2U);
    EXPECT_EQ(written->blobs, 7U);  // 2 manifests, 2 configs, 3 layers (one shared)
    const auto index = member_json("index.json");
    ASSERT_EQ(index["manifests"].size(), 2U);
    // Layout order, not the order asked for.
    EXPECT_EQ(index["manifests"][0]["annotations"]["io.containerd.image.name"], k_app_ref);
    EXPECT_EQ(index["manifests"][1]["annotations"]["io.containerd.image.name"], k_python_ref);
    EXPECT_EQ(member_json("manifest.json").size(), 2U);
}

TEST_F(ImageArchiveTest, SelectsByManifestDigest)
{
    ArchiveOptions options;
    options.refs = {"python@" + m_python.manifest.digest};
    auto written = write(options);
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(written->images, 1U);
}

TEST_F(ImageArchiveTest, RejectsUnknownRefListingTheImages)
{
    ArchiveOptions options;
    options.refs = {"python:3.12"};
    auto written = write(options);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::usage);
    EXPECT_EQ(written.error().message, "--ref python:3.12: no image docker.io/library/python:3.12 in " +
                                           (layout() / "index.json").string() +
                                           " (it has: 127.0.0.1:5000/demo/app:1.0, docker.io/library/python:3.11-slim, "
                                           "docker.io/library/multi:2)");
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, RejectsInvalidRefAsUsage)
{
    ArchiveOptions options;
    options.refs = {"Python:3"};
    auto written = write(options);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::usage);
}

TEST_F(ImageArchiveTest, DigestOnlyRefHasNoRepoTags)
{
    OciLayout pinned(dir() / "pinned");
    const BuiltImage image = pinned.add_image("amd64", {{"a.txt", "a\n"}});
    const std::string ref = "docker.io/library/alpine@" + image.manifest.digest;
    pinned.tag(image.manifest, ref);
    auto written = sources::oci::write_image_archive(pinned.folder(), output(), {});
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(member_json("manifest.json")[0]["RepoTags"], nlohmann::json::array());
    const auto annotations = member_json("index.json")["manifests"][0]["annotations"];
    EXPECT_EQ(annotations["io.containerd.image.name"], ref);
    EXPECT_EQ(annotations["org.opencontainers.image.ref.name"], ref);
}

TEST_F(ImageArchiveTest, TagAndDigestRefGetsTheTagAlone)
{
    OciLayout pinned(dir() / "pinned");
    const BuiltImage image = pinned.add_image("amd64", {{"a.txt", "a\n"}});
    pinned.tag(image.manifest, "quay.io/team/tool:3.1@" + image.manifest.digest);
    ASSERT_TRUE(sources::oci::write_image_archive(pinned.folder(), output(), {}));
    // docker load refuses a RepoTag carrying a digest.
    EXPECT_EQ(member_json("manifest.json")[0]["RepoTags"], nlohmann::json::array({"quay.io/team/tool:3.1"}));
    EXPECT_EQ(member_json("index.json")["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"], "3.1");
}

TEST_F(ImageArchiveTest, RefusesABareTagAsRefName)
{
    OciLayout skopeo_style(dir() / "bare");
    const BuiltImage image = skopeo_style.add_image("amd64", {{"a.txt", "a\n"}});
    skopeo_style.tag(image.manifest, "1.0");  // what `skopeo copy ... oci:DIR:1.0` writes
    auto written = sources::oci::write_image_archive(skopeo_style.folder(), output(), {});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(written.error().message, (skopeo_style.folder() / "index.json").string() +
                                           ": manifests[0]: org.opencontainers.image.ref.name '1.0' is not a full "
                                           "image reference (expected the form 'docker.io/library/1.0:latest')");
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, IsDeterministic)
{
    ASSERT_TRUE(write());
    const std::string first = read_text(output());
    std::filesystem::remove(output());
    ASSERT_TRUE(write());
    EXPECT_EQ(read_text(output()), first);
}

TEST_F(ImageArchiveTest, CorruptBlobFailsNamingItAndLeavesNothing)
{
    const auto blob = layout() / blob_member(m_python.layers[1]);
    std::string bytes = read_text(blob);
    bytes[600] ^= 1;  // same size, different content
    write_text(blob, bytes);
    auto written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(written.error().message,
              blob.string() + ": content does not match its digest (sha256:" + crypto::sha256_hex(bytes) + ")");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir()), std::filesystem::directory_iterator()), 1)
        << "only the layout folder should be left";
}

TEST_F(ImageArchiveTest, TruncatedBlobFailsNamingIt)
{
    const auto blob = layout() / blob_member(m_app.config);
    write_text(blob, "{}");
    auto written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(written.error().message, std::string(k_app_ref) + ": " + blob.string() +
                                           ": 2 bytes, but the descriptor says " + std::to_string(m_app.config.size));
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, MissingBlobFailsNamingIt)
{
    const auto blob = layout() / blob_member(m_arm64.manifest);
    std::filesystem::remove(blob);
    auto written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(written.error().message,
              std::string(k_multi_ref) + ": " + blob.string() + ": missing (blob " + m_arm64.manifest.digest + ")");
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, MissingLayerFailsNamingIt)
{
    const auto blob = layout() / blob_member(m_app.layers[1]);
    std::filesystem::remove(blob);
    auto written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(written.error().message,
              std::string(k_app_ref) + ": " + blob.string() + ": missing (blob " + m_app.layers[1].digest + ")");
    EXPECT_FALSE(std::filesystem::exists(output()));
}

TEST_F(ImageArchiveTest, MalformedIndexJsonFailsNamingIt)
{
    write_text(layout() / "index.json", R"({"schemaVersion":2,"manifests":[{"digest":"sha256:12"}]})");
    auto written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::verification);
    EXPECT_EQ(
        written.error().message.rfind((layout() / "index.json").string() + ": manifests[0]: digest 'sha256:12'", 0), 0U)
        << written.error().message;

    write_text(layout() / "index.json", "{not json");
    written = write();
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().message, (layout() / "index.json").string() + ": not valid JSON");
}

TEST_F(ImageArchiveTest, UnwritableOutputIsAnIoError)
{
    auto written = sources::oci::write_image_archive(layout(), dir() / "no-such-folder" / "images.tar", {});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::io);
}

}  // namespace
}  // namespace gapbundle::testing
