#include "push_fixture.hpp"

#include "support/ports.hpp"

#include <gapbundle/sources/oci/media_types.hpp>

#include <nlohmann/json.hpp>


namespace gapbundle::testing {
namespace {

namespace mt = sources::oci::media_types;

class PushFaultsTest : public PushTest {
protected:
    [[nodiscard]] std::filesystem::path stored_blob(const std::string& digest) const
    {
        const std::string hex = digest.substr(7);
        return dir() / "registry" / "storage" / "docker" / "registry" / "v2" / "blobs" / "sha256" / hex.substr(0, 2) /
               hex;
    }
    [[nodiscard]] bool registry_has_repositories() const
    {
        return std::filesystem::exists(dir() / "registry" / "storage" / "docker" / "registry" / "v2" / "repositories");
    }
};

TEST_F(PushFaultsTest, RefusesABlobThatDoesNotMatchItsDigestBeforePushingAnything)
{
    start(RegistryAuthMode::open);
    std::string bytes = m_b.layer_bytes[1];
    bytes[512] = static_cast<char>(bytes[512] ^ 0x20);  // same size, other content
    write_text(blob(m_b.layers[1]), bytes);

    auto pushed = push(options());
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::verification);
    EXPECT_TRUE(pushed.error().message.starts_with(std::string(k_app_b) + ": " + blob(m_b.layers[1]).string() +
                                                   ": content hashes to sha256:" + crypto::sha256_hex(bytes) +
                                                   ", not its name " + m_b.layers[1].digest))
        << pushed.error().message;
    EXPECT_FALSE(std::filesystem::exists(stored_blob(m_b.layers[1].digest)));
    EXPECT_FALSE(registry_has_repositories());
    EXPECT_THROW(raw_manifest("team/app-b:2.0"), std::runtime_error);
}

TEST_F(PushFaultsTest, NamesAMissingBlob)
{
    start(RegistryAuthMode::open);
    std::filesystem::remove(blob(m_b.config));
    auto pushed = push(options());
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::verification);
    EXPECT_EQ(pushed.error().message,
              std::string(k_app_b) + ": " + blob(m_b.config).string() + ": missing (blob " + m_b.config.digest + ")");
    EXPECT_FALSE(registry_has_repositories());
}

TEST_F(PushFaultsTest, NamesAMissingChildOfAnIndex)
{
    start(RegistryAuthMode::open);
    std::filesystem::remove(blob(m_arm64.manifest));
    auto pushed = push(options());
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::verification);
    EXPECT_EQ(pushed.error().message, std::string(k_multi) + ": " + blob(m_arm64.manifest).string() +
                                          ": missing (blob " + m_arm64.manifest.digest + ")");
}

TEST_F(PushFaultsTest, NamesAnUnreachableRegistry)
{
    build_layout();
    sources::oci::PushOptions o;
    o.registry = "127.0.0.1:" + std::to_string(free_port());
    o.connection.insecure = true;
    o.connection.engine = quick_engine();
    auto reader = sources::oci::LayoutReader::open(layout_dir());
    ASSERT_TRUE(reader) << reader.error().message;
    auto pushed = sources::oci::push_images(*reader, reader->images(), o);
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::network);
    EXPECT_TRUE(pushed.error().message.starts_with(o.registry + "/library/app-a:1.0: checking blob " +
                                                   m_a.config.digest + ": http://" + o.registry +
                                                   "/v2/library/app-a/blobs/"))
        << pushed.error().message;
}

TEST_F(PushFaultsTest, ReportsTheRegistrysCodeWhenItRefusesAManifest)
{
    start(RegistryAuthMode::open);
    // A manifest whose layer is non-distributable, without URLs and absent from the layout: it is
    // not uploaded, and the registry refuses the manifest.
    const std::string absent = "sha256:" + crypto::sha256_hex("not in the layout");
    const nlohmann::json manifest = {
        {"schemaVersion", 2},
        {"mediaType", mt::k_oci_manifest},
        {"config", {{"mediaType", m_a.config.media_type}, {"digest", m_a.config.digest}, {"size", m_a.config.size}}},
        {"layers", {{{"mediaType", mt::k_oci_layer_nondistributable_tar}, {"digest", absent}, {"size", 17}}}}};
    const std::string bytes = manifest.dump();
    const Descriptor d{std::string(mt::k_oci_manifest), digest_of(bytes), bytes.size()};
    write_text(blob(d), bytes);
    m_layout->tag(d, "docker.io/library/foreign:1");

    auto pushed = push(options());
    ASSERT_FALSE(pushed);
    EXPECT_EQ(pushed.error().code, ErrorCode::network);
    const std::string& message = pushed.error().message;
    EXPECT_TRUE(message.starts_with(m_registry->host() + "/library/foreign:1: the registry refused manifest " +
                                    d.digest + ": HTTP 400 (MANIFEST_"))
        << message;
}

}  // namespace
}  // namespace gapbundle::testing
