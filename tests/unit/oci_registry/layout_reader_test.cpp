#include "oci_layout.hpp"

#include "support/test_dir.hpp"

#include <gapbundle/sources/oci/layout_reader.hpp>
#include <gapbundle/sources/oci/media_types.hpp>

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace oci = sources::oci;

class LayoutReaderTest : public TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        m_layout = std::make_unique<OciLayout>(layout_dir());
        m_image = m_layout->add_image("amd64", {{"a.txt", "alpha\n"}, {"b.txt", "beta\n"}});
        m_layout->tag(m_image.manifest, "docker.io/library/python:3.11-slim");
    }

    [[nodiscard]] std::filesystem::path layout_dir() const { return dir() / "bundle" / "oci"; }
    [[nodiscard]] std::filesystem::path blob(const Descriptor& d) const
    {
        return layout_dir() / "blobs" / "sha256" / d.digest.substr(7);
    }

    oci::LayoutReader open()
    {
        auto reader = oci::LayoutReader::open(layout_dir());
        EXPECT_TRUE(reader) << reader.error().message;
        return std::move(*reader);
    }

    Error open_error()
    {
        auto reader = oci::LayoutReader::open(layout_dir());
        EXPECT_FALSE(reader);
        return reader ? Error{ErrorCode::internal, "opened"} : reader.error();
    }

    void write_index(const std::string& manifests_json)
    {
        write_text(layout_dir() / "index.json",
                   R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":)" +
                       manifests_json + "}");
    }

    std::unique_ptr<OciLayout> m_layout;
    BuiltImage m_image;
};

TEST_F(LayoutReaderTest, ReadsTheImagesOfALayout)
{
    auto reader = open();
    ASSERT_EQ(reader.images().size(), 1u);
    const oci::LayoutImage& image = reader.images()[0];
    EXPECT_EQ(image.ref_name, "docker.io/library/python:3.11-slim");
    EXPECT_EQ(image.reference.repository, "library/python");
    EXPECT_EQ(image.reference.tag, "3.11-slim");
    EXPECT_EQ(image.descriptor.digest, m_image.manifest.digest);
    EXPECT_EQ(image.descriptor.size, m_image.manifest.size);
    EXPECT_EQ(image.descriptor.media_type, oci::media_types::k_oci_manifest);
    EXPECT_EQ(reader.blob_path(image.descriptor), blob(m_image.manifest));
}

TEST_F(LayoutReaderTest, FindsTheLayoutInAnUnpackedBundle)
{
    auto reader = oci::LayoutReader::open(dir() / "bundle");
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->root(), layout_dir());
    EXPECT_EQ(reader->images().size(), 1u);
}

TEST_F(LayoutReaderTest, RejectsAFolderWithoutLayout)
{
    auto reader = oci::LayoutReader::open(dir());
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::verification);
    EXPECT_EQ(reader.error().message, dir().string() + ": not an OCI image layout (no oci-layout here nor in oci/)");
}

TEST_F(LayoutReaderTest, RejectsAnUnknownLayoutVersion)
{
    write_text(layout_dir() / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
    EXPECT_EQ(open_error().message, (layout_dir() / "oci-layout").string() + ": imageLayoutVersion is not 1.x");
}

TEST_F(LayoutReaderTest, RejectsMalformedIndexJson)
{
    write_text(layout_dir() / "index.json", R"({"manifests": [)");
    const Error error = open_error();
    EXPECT_EQ(error.code, ErrorCode::verification);
    EXPECT_EQ(error.message, (layout_dir() / "index.json").string() + ": not valid JSON");
}

TEST_F(LayoutReaderTest, RejectsIndexWithoutManifests)
{
    write_text(layout_dir() / "index.json", R"({"schemaVersion":2})");
    EXPECT_EQ(open_error().message, (layout_dir() / "index.json").string() + ": no 'manifests' array");
}

TEST_F(LayoutReaderTest, RejectsAnInvalidRefName)
{
    write_index(R"([{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + m_image.manifest.digest +
                R"(","size":)" + std::to_string(m_image.manifest.size) +
                R"(,"annotations":{"org.opencontainers.image.ref.name":"Demo/App:1.0"}}])");
    const Error error = open_error();
    EXPECT_EQ(error.code, ErrorCode::verification);
    EXPECT_EQ(error.message, (layout_dir() / "index.json").string() +
                                 ": manifests[0]: invalid image reference 'Demo/App:1.0': repository name must be "
                                 "lowercase");
}

TEST_F(LayoutReaderTest, RejectsABareTagAsRefName)
{
    m_layout->tag(m_image.manifest, "1.0");  // what `skopeo copy ... oci:DIR:1.0` writes
    const Error error = open_error();
    EXPECT_EQ(error.message, (layout_dir() / "index.json").string() +
                                 ": manifests[1]: org.opencontainers.image.ref.name '1.0' is not a full image "
                                 "reference (expected the form 'docker.io/library/1.0:latest')");
}

TEST_F(LayoutReaderTest, RejectsAnEntryWithoutRefName)
{
    write_index(R"([{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + m_image.manifest.digest +
                R"(","size":)" + std::to_string(m_image.manifest.size) + "}]");
    EXPECT_EQ(open_error().message, (layout_dir() / "index.json").string() +
                                        ": manifests[0]: no org.opencontainers.image.ref.name annotation naming the "
                                        "image");
}

TEST_F(LayoutReaderTest, RejectsADigestThatIsAPath)
{
    write_index(R"([{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../etc/passwd",)"
                R"("size":1,"annotations":{"org.opencontainers.image.ref.name":"docker.io/library/a:1"}}])");
    const Error error = open_error();
    EXPECT_EQ(error.code, ErrorCode::verification);
    EXPECT_TRUE(error.message.starts_with((layout_dir() / "index.json").string() +
                                          ": manifests[0]: digest 'sha256:../../etc/passwd': "))
        << error.message;
}

TEST_F(LayoutReaderTest, RejectsARefWhoseDigestIsNotTheDescriptors)
{
    const std::string other = m_image.config.digest;
    write_index(R"([{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + m_image.manifest.digest +
                R"(","size":1,"annotations":{"org.opencontainers.image.ref.name":"docker.io/library/a@)" + other +
                R"("}}])");
    EXPECT_EQ(open_error().message, (layout_dir() / "index.json").string() + ": manifests[0]: the reference's digest " +
                                        other + " is not the descriptor's " + m_image.manifest.digest);
}

TEST_F(LayoutReaderTest, ChecksBlobsAgainstTheirDescriptors)
{
    auto reader = open();
    oci::Descriptor layer{
        std::string(oci::media_types::k_oci_layer_tar), m_image.layers[0].digest, m_image.layers[0].size, {}, {}};
    EXPECT_TRUE(reader.verify_blob(layer));

    std::string bytes = m_image.layer_bytes[0];
    bytes[600] = static_cast<char>(bytes[600] ^ 1);
    write_text(blob(m_image.layers[0]), bytes);
    auto corrupt = reader.verify_blob(layer);
    ASSERT_FALSE(corrupt);
    EXPECT_EQ(corrupt.error().code, ErrorCode::verification);
    EXPECT_TRUE(corrupt.error().message.starts_with(blob(m_image.layers[0]).string() + ": content hashes to sha256:"))
        << corrupt.error().message;
    EXPECT_TRUE(reader.check_blob_present(layer));  // same size

    std::filesystem::remove(blob(m_image.layers[0]));
    auto missing = reader.check_blob_present(layer);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, blob(m_image.layers[0]).string() + ": missing (blob " + layer.digest + ")");

    write_text(blob(m_image.layers[0]), "short");
    EXPECT_EQ(reader.check_blob_present(layer).error().message,
              blob(m_image.layers[0]).string() + ": 5 bytes, but the descriptor says " + std::to_string(layer.size));
}

TEST_F(LayoutReaderTest, ReadsManifestsCheckingTheirDigest)
{
    auto reader = open();
    const auto& top = reader.images()[0].descriptor;
    auto bytes = reader.read_manifest(top);
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_EQ(*bytes, m_image.manifest_bytes);
    auto refs = oci::parse_manifest_references(*bytes, top, "m", ErrorCode::verification);
    ASSERT_TRUE(refs) << refs.error().message;
    EXPECT_EQ(refs->kind, oci::ManifestReferences::Kind::image);
    ASSERT_EQ(refs->blobs.size(), 3u);
    EXPECT_EQ(refs->blobs[0].digest, m_image.config.digest);
    EXPECT_EQ(refs->blobs[2].digest, m_image.layers[1].digest);

    std::string edited = m_image.manifest_bytes;
    edited[edited.size() - 1] = ' ';
    write_text(blob(m_image.manifest), edited);
    auto changed = reader.read_manifest(top);
    ASSERT_FALSE(changed);
    EXPECT_TRUE(changed.error().message.starts_with(blob(m_image.manifest).string() + ": content hashes to sha256:"));
}

TEST_F(LayoutReaderTest, ParsesAnIndexAndRefusesAMediaTypeMismatch)
{
    const BuiltImage arm = m_layout->add_image("arm64", {{"c.txt", "gamma\n"}});
    const Descriptor index = m_layout->add_index({{m_image, "amd64"}, {arm, "arm64"}});
    auto reader = open();
    oci::Descriptor d{index.media_type, index.digest, index.size, {}, {}};
    auto bytes = reader.read_manifest(d);
    ASSERT_TRUE(bytes) << bytes.error().message;
    auto refs = oci::parse_manifest_references(*bytes, d, "idx", ErrorCode::verification);
    ASSERT_TRUE(refs) << refs.error().message;
    EXPECT_EQ(refs->kind, oci::ManifestReferences::Kind::index);
    ASSERT_EQ(refs->manifests.size(), 2u);
    EXPECT_EQ(refs->manifests[1].digest, arm.manifest.digest);

    d.media_type = std::string(oci::media_types::k_docker_manifest_list);
    auto mismatch = oci::parse_manifest_references(*bytes, d, "idx", ErrorCode::verification);
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().message,
              "idx: mediaType application/vnd.oci.image.index.v1+json differs from the "
              "descriptor's application/vnd.docker.distribution.manifest.list.v2+json");
}

TEST_F(LayoutReaderTest, SelectsImagesByReference)
{
    const BuiltImage other = m_layout->add_image("amd64", {{"o.txt", "other\n"}});
    m_layout->tag(other.manifest, "127.0.0.1:5000/demo/app:1.0");
    auto reader = open();
    const std::vector<std::string> familiar = {"python:3.11-slim"};
    auto selected = reader.select(familiar);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 1u);
    EXPECT_EQ(selected->at(0).ref_name, "docker.io/library/python:3.11-slim");

    const std::vector<std::string> by_digest = {"127.0.0.1:5000/demo/app@" + other.manifest.digest};
    selected = reader.select(by_digest);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 1u);
    EXPECT_EQ(selected->at(0).ref_name, "127.0.0.1:5000/demo/app:1.0");

    EXPECT_EQ(reader.select({}).value().size(), 2u);

    // Layout order, each image once, whatever the order and overlap of the refs.
    const std::vector<std::string> both = {"127.0.0.1:5000/demo/app:1.0", "python:3.11-slim",
                                           "docker.io/library/python:3.11-slim"};
    selected = reader.select(both);
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_EQ(selected->size(), 2u);
    EXPECT_EQ(selected->at(0).ref_name, "docker.io/library/python:3.11-slim");
    EXPECT_EQ(selected->at(1).ref_name, "127.0.0.1:5000/demo/app:1.0");

    const std::vector<std::string> unknown = {"python:3.12"};
    auto none = reader.select(unknown);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::usage);
    EXPECT_EQ(none.error().message, "--ref python:3.12: no image docker.io/library/python:3.12 in " +
                                        (layout_dir() / "index.json").string() +
                                        " (it has: docker.io/library/python:3.11-slim, 127.0.0.1:5000/demo/app:1.0)");
}

}  // namespace
}  // namespace gapbundle::testing
