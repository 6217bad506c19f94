#include "push_fixture.hpp"

#include <gapbundle/sources/oci/reference.hpp>

namespace gapbundle::testing {
namespace {

namespace oci = sources::oci;

const oci::ImagePushResult& find(const oci::PushResult& result, const std::string& source)
{
    for (const auto& image : result.images)
        if (image.source == source) return image;
    throw std::runtime_error("no result for " + source);
}

TEST_F(PushTest, PushesEveryImageWithItsDigestsAndRerunsNothing)
{
    start(RegistryAuthMode::open);
    auto first = push(options());
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first->images.size(), 3u);

    // What the registry serves hashes to the layout's digests, by digest and by tag.
    EXPECT_EQ(raw_manifest("library/app-a:1.0"), m_a.manifest_bytes);
    EXPECT_EQ(digest_of(raw_manifest("library/app-a@" + m_a.manifest.digest)), m_a.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("team/app-b:2.0")), m_b.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("library/multi:3.0")), m_index.digest);
    EXPECT_EQ(digest_of(raw_manifest("library/multi@" + m_arm64.manifest.digest)), m_arm64.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("library/multi@" + m_amd64.manifest.digest)), m_amd64.manifest.digest);

    const auto& a = find(*first, k_app_a);
    EXPECT_EQ(a.destination, m_registry->host() + "/library/app-a:1.0");
    EXPECT_EQ(a.digest, m_a.manifest.digest);
    EXPECT_EQ(a.counts.blobs_uploaded, 3u);  // config + two layers
    EXPECT_EQ(a.counts.manifests_pushed, 1u);
    EXPECT_EQ(a.counts.tags_set, 1u);
    // The shared layer went up once, and was mounted into the second repository.
    const auto& b = find(*first, k_app_b);
    EXPECT_EQ(b.destination, m_registry->host() + "/team/app-b:2.0");
    EXPECT_EQ(b.counts.blobs_uploaded, 2u);
    EXPECT_EQ(b.counts.blobs_mounted, 1u);
    const auto& multi = find(*first, k_multi);
    EXPECT_EQ(multi.counts.blobs_uploaded, 4u);    // two configs, two layers
    EXPECT_EQ(multi.counts.manifests_pushed, 3u);  // two platforms, then the index
    EXPECT_EQ(multi.counts.tags_set, 1u);
    EXPECT_EQ(first->total.blobs_uploaded, 9u);
    EXPECT_EQ(first->total.bytes_uploaded, m_a.config.size + m_a.layers[0].size + m_a.layers[1].size + m_b.config.size +
                                               m_b.layers[1].size + m_amd64.config.size + m_amd64.layers[0].size +
                                               m_arm64.config.size + m_arm64.layers[0].size);

    auto second = push(options());
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->total.blobs_uploaded, 0u);
    EXPECT_EQ(second->total.blobs_mounted, 0u);
    EXPECT_EQ(second->total.bytes_uploaded, 0u);
    EXPECT_EQ(second->total.blobs_present, 10u);
    EXPECT_EQ(second->total.manifests_pushed, 0u);
    EXPECT_EQ(second->total.manifests_present, 5u);
    EXPECT_EQ(second->total.tags_set, 0u);
    EXPECT_EQ(second->total.tags_present, 3u);
}

TEST_F(PushTest, PrefixesDestinationNames)
{
    start(RegistryAuthMode::open);
    auto o = options();
    o.prefix = "mirror/gap";
    auto pushed = push(o);
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(find(*pushed, k_app_a).destination, m_registry->host() + "/mirror/gap/library/app-a:1.0");
    EXPECT_EQ(digest_of(raw_manifest("mirror/gap/library/app-a:1.0")), m_a.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("mirror/gap/team/app-b:2.0")), m_b.manifest.digest);
}

TEST_F(PushTest, KeepsTheSourceRegistryOnRequest)
{
    start(RegistryAuthMode::open);
    auto o = options();
    o.prefix = "mirror";
    o.source_registry = oci::SourceRegistryPath::keep;
    auto pushed = push(o);
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(digest_of(raw_manifest("mirror/docker.io/library/app-a:1.0")), m_a.manifest.digest);
    EXPECT_EQ(digest_of(raw_manifest("mirror/quay.io/team/app-b:2.0")), m_b.manifest.digest);
}

TEST_F(PushTest, NamesDestinations)
{
    oci::PushOptions o;
    o.registry = "registry.local:5000";
    const auto python = oci::parse_reference("python:3.11-slim").value();
    EXPECT_EQ(oci::destination_repository(python, o).value(), "library/python");
    o.prefix = "/mirror/";
    EXPECT_EQ(oci::destination_repository(python, o).value(), "mirror/library/python");
    o.source_registry = oci::SourceRegistryPath::keep;
    EXPECT_EQ(oci::destination_repository(python, o).value(), "mirror/docker.io/library/python");
    const auto local = oci::parse_reference("127.0.0.1:5000/demo/app:1").value();
    EXPECT_EQ(oci::destination_repository(local, o).value(), "mirror/127.0.0.1-5000/demo/app");

    o.prefix = "Mirror";
    auto bad = oci::destination_repository(python, o);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::usage);
    EXPECT_TRUE(
        bad.error().message.starts_with("destination registry.local:5000/Mirror/docker.io/library/python for "
                                        "docker.io/library/python:3.11-slim: "))
        << bad.error().message;
    EXPECT_TRUE(bad.error().message.ends_with(" (check --prefix)")) << bad.error().message;
}

TEST_F(PushTest, PushesLargeBlobsInChunks)
{
    m_registry = std::make_unique<RegistryServer>(dir() / "registry", RegistryAuthMode::open, RegistryLog::requests);
    m_layout = std::make_unique<OciLayout>(layout_dir());
    std::string big(300000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
    const BuiltImage image = m_layout->add_image("amd64", {{"big.bin", big}, {"small.txt", "small\n"}});
    m_layout->tag(image.manifest, "docker.io/library/big:1");
    auto o = options();
    o.monolithic_max = 64 * 1024;
    o.chunk_size = 100 * 1024;  // the big layer (301 kB) goes in three PATCHes
    auto pushed = push(o);
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(pushed->total.blobs_uploaded, 3u);
    const std::string log = m_registry->log();
    std::size_t patches = 0;
    for (auto at = log.find("\"PATCH /v2/library/big/blobs/uploads/"); at != std::string::npos;
         at = log.find("\"PATCH /v2/library/big/blobs/uploads/", at + 1))
        ++patches;
    EXPECT_EQ(patches, 3u) << log;
    EXPECT_EQ(digest_of(raw_manifest("library/big:1")), image.manifest.digest);

    // The registry put the chunks together into the very blob: pull it back and hash it.
    auto client = oci::RegistryClient(m_registry->host(), o.connection);
    auto request = client.blob_request("library/big", image.layers[0].digest, dir() / "pulled");
    ASSERT_TRUE(request) << request.error().message;
    net::HttpEngine engine(quick_engine());
    auto results = engine.download(std::span(&*request, 1));
    ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
    EXPECT_EQ(results[0]->bytes, image.layers[0].size);
}

TEST_F(PushTest, PushesOnlyTheImagesAsked)
{
    start(RegistryAuthMode::open);
    auto reader = oci::LayoutReader::open(layout_dir());
    ASSERT_TRUE(reader) << reader.error().message;
    const std::vector<std::string> refs = {"app-a:1.0"};
    auto selected = reader->select(refs);
    ASSERT_TRUE(selected) << selected.error().message;
    auto pushed = oci::push_images(*reader, *selected, options());
    ASSERT_TRUE(pushed) << pushed.error().message;
    ASSERT_EQ(pushed->images.size(), 1u);
    EXPECT_EQ(pushed->images[0].source, k_app_a);
    EXPECT_THROW(raw_manifest("team/app-b:2.0"), std::runtime_error);
}

}  // namespace
}  // namespace gapbundle::testing
