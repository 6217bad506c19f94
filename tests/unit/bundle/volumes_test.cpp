// A bundle in volumes (WriterOptions::split_size): the payload in BUNDLE.001, …, the signed head
// in BUNDLE.000; verify and unpack take the first volume and name a missing, short, swapped or
// damaged one before anything is unpacked.
#include "bundle_fixture.hpp"

#include <gapbundle/bundle/volumes.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;

constexpr std::uint64_t k_split = 64 << 10;

// Bytes zstd cannot shrink, so that a compressed bundle also needs several volumes.
std::string noise(std::size_t size)
{
    std::string bytes(size, '\0');
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    for (auto& byte : bytes) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        byte = static_cast<char>(state >> 56);
    }
    return bytes;
}

// The entry names of a tar (or tar.zst) file, as libarchive reads it.
std::vector<std::string> tar_names(const stdfs::path& file)
{
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    std::vector<std::string> names;
    if (archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) return {"(cannot open)"};
    archive_entry* entry = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) names.emplace_back(archive_entry_pathname(entry));
    if (rc != ARCHIVE_EOF) names.emplace_back("(error)");
    return names;
}

class VolumesTest : public test::BundleTest {
protected:
    // Writes the sample payload and 300 KB of noise in volumes of fewer than k_split bytes.
    Index write_split(const stdfs::path& out, Compression compression = Compression::none)
    {
        auto payload = test::sample_payload();
        payload.file("files/noise.bin", noise(300000));
        Index index = payload.index();
        WriterOptions options;
        options.compression = compression;
        options.split_size = k_split;
        auto writer = BundleWriter::create(out, options);
        EXPECT_TRUE(writer) << writer.error().message;
        test::write_entries(*writer, payload.stream(index));
        auto volumes = writer->begin_head();
        EXPECT_TRUE(volumes) << volumes.error().message;
        index.volumes = *volumes;
        const auto json = to_canonical_json(index);
        EXPECT_TRUE(writer->add_bytes(k_index_path, json));
        EXPECT_TRUE(writer->add_bytes(k_signatures_path, test::sign_all(json, {&*m_signer})));
        auto committed = writer->commit();
        EXPECT_TRUE(committed) << committed.error().message;
        return index;
    }

    stdfs::path bundle() const { return dir() / "b.tar"; }
    stdfs::path volume(std::size_t number) const { return volume_path(bundle(), number); }
};

TEST_F(VolumesTest, WritesThePayloadInVolumesAndTheHeadLastAndTheirConcatenationIsTheBundle)
{
    for (const auto compression : {Compression::none, Compression::zstd}) {
        stdfs::remove_all(dir());
        stdfs::create_directories(dir());
        const Index index = write_split(bundle(), compression);
        ASSERT_GE(index.volumes.size(), 5u);
        EXPECT_FALSE(stdfs::exists(bundle()));
        std::string joined = test::read_bytes(volume(0));
        for (std::size_t i = 0; i < index.volumes.size(); ++i) {
            const auto bytes = test::read_bytes(volume(i + 1));
            EXPECT_LT(bytes.size(), k_split);
            EXPECT_EQ(bytes.size(), index.volumes[i].size);
            EXPECT_EQ(crypto::sha256_hex(bytes), index.volumes[i].sha256);
            joined += bytes;
        }
        EXPECT_FALSE(stdfs::exists(volume(index.volumes.size() + 1)));
        // Only the head in the first volume: it is a few blocks, whatever the payload.
        EXPECT_LT(stdfs::file_size(volume(0)), 8192u);

        auto report = verify_bundle(volume(0), trust_options());
        ASSERT_TRUE(report) << report.error().message;
        EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0].message);
        EXPECT_EQ(report->files, 5u);  // four files and SHA256SUMS

        // cat b.tar.0* > whole.tar: an ordinary tar (or tar.zst) for stock tools.
        const auto whole = dir() / "whole";
        test::write_bytes(whole, joined);
        std::vector<std::string> expected{std::string(k_index_path), std::string(k_signatures_path)};
        for (const auto position : stream_order(index)) {
            const auto& entry = index.entries[position];
            expected.push_back(entry.type == EntryType::dir ? entry.path + "/" : entry.path);
        }
        EXPECT_EQ(tar_names(whole), expected);
        // And GNU tar (after zstd) reads the volumes piped together, as an operator would.
        const auto listed = dir() / "listed";
        const std::string command = "cat '" + bundle().string() + "'.0* | " +
                                    (compression == Compression::zstd ? "zstd -dc | " : "") + "tar -tf - > '" +
                                    listed.string() + "'";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        std::string lines;
        for (const auto& name : expected) lines += name + "\n";
        EXPECT_EQ(test::read_bytes(listed), lines);

        const auto dest = dir() / "dest";
        UnpackOptions unpack;
        unpack.verify = trust_options();
        auto unpacked = unpack_bundle(volume(0), dest, unpack);
        ASSERT_TRUE(unpacked) << unpacked.error().message;
        EXPECT_TRUE(unpacked->verify.ok());
        EXPECT_EQ(test::read_bytes(dest / "files" / "noise.bin"), noise(300000));
    }
}

TEST_F(VolumesTest, NamesAMissingShortSwappedOrDamagedVolumeAndUnpacksNothing)
{
    const Index index = write_split(bundle());
    const auto saved = dir() / "saved";
    stdfs::create_directories(saved);
    for (std::size_t i = 1; i <= index.volumes.size(); ++i) stdfs::copy_file(volume(i), saved / std::to_string(i));
    const auto restore = [&] {
        for (std::size_t i = 1; i <= index.volumes.size(); ++i)
            stdfs::copy_file(saved / std::to_string(i), volume(i), stdfs::copy_options::overwrite_existing);
    };
    const std::string last = volume(index.volumes.size()).string();

    stdfs::remove(volume(2));
    expect_rejected(volume(0), "volume", volume(2).string());
    restore();

    stdfs::resize_file(volume(3), stdfs::file_size(volume(3)) - 1);
    expect_rejected(volume(0), "volume", volume(3).string());
    restore();

    // The same size, another volume's bytes: found by the hash when the first of them ends.
    stdfs::copy_file(saved / "2", volume(1), stdfs::copy_options::overwrite_existing);
    stdfs::copy_file(saved / "1", volume(2), stdfs::copy_options::overwrite_existing);
    expect_rejected(volume(0), "volume", volume(1).string());
    restore();

    // One byte changed in the middle of a volume: the entry it lands in fails first, and the
    // volume is named as the culprit.
    auto bytes = test::read_bytes(volume(2));
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
    test::write_bytes(volume(2), bytes);
    expect_rejected(volume(0), "volume", volume(2).string());
    auto report = verify_bundle(volume(0), trust_options());
    ASSERT_TRUE(report);
    ASSERT_FALSE(report->problems.empty());
    EXPECT_EQ(report->problems[0].kind, "volume");
    EXPECT_NE(report->problems[0].message.find("the index says " + index.volumes[1].sha256), std::string::npos)
        << report->problems[0].message;
    restore();

    // The last volume: checked at its end, after its last entry and the end-of-archive marker.
    bytes = test::read_bytes(last);
    bytes[bytes.size() - 1] = static_cast<char>(bytes[bytes.size() - 1] ^ 0x01);
    test::write_bytes(last, bytes);
    expect_rejected(volume(0), "volume", last);
    restore();

    auto good = verify_bundle(volume(0), trust_options());
    ASSERT_TRUE(good);
    EXPECT_TRUE(good->ok());
}

TEST_F(VolumesTest, ALaterVolumeOrARenamedHeadIsNamedAsSuch)
{
    write_split(bundle());
    auto later = verify_bundle(volume(1), trust_options());
    ASSERT_TRUE(later);
    ASSERT_FALSE(later->problems.empty());
    EXPECT_NE(later->problems[0].message.find("b.tar.001 looks like a later volume of a bundle in volumes: give the "
                                              "first, b.tar.000"),
              std::string::npos)
        << later->problems[0].message;

    const auto renamed = dir() / "head.tar";
    stdfs::copy_file(volume(0), renamed);
    expect_rejected(renamed, "volume", renamed.string());
}

TEST_F(VolumesTest, LeavesNoVolumeWithoutCommitAndRemovesStaleOnes)
{
    {
        WriterOptions options;
        options.split_size = k_split;
        auto writer = BundleWriter::create(bundle(), options);
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->add_bytes("files/noise.bin", noise(200000)));
        ASSERT_TRUE(writer->begin_head());
        ASSERT_TRUE(writer->add_bytes(k_index_path, "{}"));
    }
    EXPECT_TRUE(stdfs::is_empty(dir()));

    // An earlier pack in more volumes left these: they are not part of the new bundle.
    test::write_bytes(volume(20), "old");
    test::write_bytes(volume(21), "old");
    test::write_bytes(bundle(), "not a volume");
    const Index index = write_split(bundle());
    ASSERT_LT(index.volumes.size(), 19u);
    test::write_bytes(volume(index.volumes.size() + 1), "old");
    write_split(bundle());
    EXPECT_FALSE(stdfs::exists(volume(index.volumes.size() + 1)));
    EXPECT_TRUE(stdfs::exists(volume(20)));  // not next to the set: left alone
    EXPECT_EQ(test::read_bytes(bundle()), "not a volume");
}

TEST_F(VolumesTest, TheHeadComesAfterThePayloadOnlyInVolumes)
{
    auto whole = BundleWriter::create(bundle(), {});
    ASSERT_TRUE(whole);
    auto head = whole->begin_head();
    ASSERT_FALSE(head);
    EXPECT_NE(head.error().message.find("begin_head is for a bundle in volumes"), std::string::npos);

    WriterOptions options;
    options.split_size = k_split;
    auto split = BundleWriter::create(dir() / "s.tar", options);
    ASSERT_TRUE(split);
    ASSERT_TRUE(split->add_bytes("files/a.txt", "a"));
    auto committed = split->commit();
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message.find("needs its head"), std::string::npos);

    options.split_size = 1000;
    auto tiny = BundleWriter::create(dir() / "t.tar", options);
    ASSERT_FALSE(tiny);
    EXPECT_EQ(tiny.error().code, ErrorCode::usage);
}

TEST(VolumeNames, NumberTheSetOnThreeDigits)
{
    EXPECT_EQ(volume_path("out/b.tar.zst", 0), stdfs::path("out/b.tar.zst.000"));
    EXPECT_EQ(volume_path("b.tar", 12), stdfs::path("b.tar.012"));
    EXPECT_EQ(volume_set_of("out/b.tar.000"), stdfs::path("out/b.tar"));
    EXPECT_EQ(volume_set_of("out/b.tar.001"), std::nullopt);
    EXPECT_EQ(volume_set_of("b.tar"), std::nullopt);
    EXPECT_EQ(volume_number_of("b.tar.042"), 42u);
    EXPECT_EQ(volume_number_of("b.tar.4x2"), std::nullopt);
    EXPECT_EQ(volume_number_of(".000"), std::nullopt);
}

}  // namespace
}  // namespace gapbundle::bundle
