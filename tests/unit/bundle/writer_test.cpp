#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;

// `size` bytes that differ from place to place, so that a hash notices bytes moved or repeated.
std::string patterned(std::size_t size, unsigned seed)
{
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 2654435761u + seed) >> 13);
    return out;
}

class WriterTest : public test::BundleTest {
protected:
    stdfs::path write(const std::string& name, const WriterOptions& options)
    {
        auto payload = test::sample_payload();
        const auto index = payload.index();
        const auto json = to_canonical_json(index);
        const auto out = dir() / name;
        test::write_with_writer(out, index, test::sign_all(json, {&*m_signer}), payload.stream(index), options);
        return out;
    }
    static WriterOptions zstd(int threads)
    {
        WriterOptions options;
        options.compression = Compression::zstd;
        options.threads = threads;
        options.mtime = 1767225600;
        return options;
    }
};

TEST_F(WriterTest, WritesIdenticalBytesTwice)
{
    WriterOptions options;
    options.mtime = 1767225600;
    const auto first = write("one.tar", options);
    const auto second = write("two.tar", options);
    EXPECT_EQ(test::read_bytes(first), test::read_bytes(second));
    EXPECT_EQ(test::read_bytes(first).size() % 512, 0u);
}

TEST_F(WriterTest, WritesIdenticalZstdBytesWhateverTheThreads)
{
    const auto first = write("one.tar.zst", zstd(1));
    const auto second = write("two.tar.zst", zstd(2));
    const auto third = write("three.tar.zst", zstd(2));
    const auto bytes = test::read_bytes(first);
    EXPECT_EQ(bytes.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));  // zstd frame magic
    EXPECT_EQ(bytes, test::read_bytes(second));
    EXPECT_EQ(bytes, test::read_bytes(third));
}

TEST_F(WriterTest, WritesFixedOwnershipAndTime)
{
    WriterOptions options;
    options.mtime = 1767225600;
    const auto out = write("b.tar", options);
    const auto cmd = "TZ=UTC tar --list -v --numeric-owner -f " + out.string() + " > " + (dir() / "list.txt").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const auto listing = gapbundle::testing::read_text(dir() / "list.txt");
    EXPECT_NE(listing.find("-rw-r--r-- 0/0"), std::string::npos) << listing;
    EXPECT_NE(listing.find("-rwxr-xr-x 0/0"), std::string::npos) << listing;
    EXPECT_NE(listing.find("2026-01-01"), std::string::npos) << listing;
    EXPECT_NE(listing.find("files/link -> a.txt"), std::string::npos) << listing;
    EXPECT_EQ(listing.find("PaxHeader"), std::string::npos) << listing;
    EXPECT_LT(listing.find("gapbundle/index.json"), listing.find('\n')) << listing;
    EXPECT_LT(listing.find("gapbundle/index.json\n"), listing.find("gapbundle/index.json.sig")) << listing;
}

TEST_F(WriterTest, WritesLongAndUnicodeNamesReproducibly)
{
    test::Payload payload;
    payload.file("files/" + std::string(120, 'n') + "/" + std::string(200, 'm') + ".bin", "long");
    payload.file("files/caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac.txt", "unicode");
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    const auto signatures = test::sign_all(json, {&*m_signer});
    WriterOptions options;
    options.mtime = 1767225600;
    test::write_with_writer(dir() / "one.tar", index, signatures, payload.stream(index), options);
    test::write_with_writer(dir() / "two.tar", index, signatures, payload.stream(index), options);
    EXPECT_EQ(test::read_bytes(dir() / "one.tar"), test::read_bytes(dir() / "two.tar"));
    auto report = verify_bundle(dir() / "one.tar", trust_options());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0].message);
}

TEST_F(WriterTest, ReturnsHashOfStream)
{
    auto writer = BundleWriter::create(dir() / "b.tar", {});
    ASSERT_TRUE(writer);
    const std::string data = "streamed";
    std::size_t at = 0;
    auto hash = writer->add_stream("x", data.size(), 0644, [&](std::span<std::byte> buffer) -> Result<std::size_t> {
        const auto n = std::min(buffer.size(), data.size() - at);
        std::memcpy(buffer.data(), data.data() + at, n);
        at += n;
        return n;
    });
    ASSERT_TRUE(hash) << hash.error().message;
    EXPECT_EQ(*hash, crypto::sha256_hex(data));
    EXPECT_TRUE(writer->commit());
    EXPECT_GT(writer->bytes_written(), 0u);
}

// Entries of 4 MiB and more are hashed on a second thread: each big entry's hash is its own,
// in order, and a small one between them is hashed inline.
TEST_F(WriterTest, HashesBigEntriesAsideOneAfterAnother)
{
    auto writer = BundleWriter::create(dir() / "b.tar", {});
    ASSERT_TRUE(writer);
    const std::vector<std::string> entries{patterned(6u << 20, 1), patterned(100, 2), patterned((5u << 20) + 7, 3)};
    for (std::size_t e = 0; e < entries.size(); ++e) {
        const std::string& data = entries[e];
        std::size_t at = 0;
        auto hash = writer->add_stream("e" + std::to_string(e), data.size(), 0644,
                                       [&](std::span<std::byte> buffer) -> Result<std::size_t> {
                                           const auto n = std::min(buffer.size(), data.size() - at);
                                           std::memcpy(buffer.data(), data.data() + at, n);
                                           at += n;
                                           return n;
                                       });
        ASSERT_TRUE(hash) << hash.error().message;
        EXPECT_EQ(*hash, crypto::sha256_hex(data)) << "entry " << e;
    }
    EXPECT_TRUE(writer->commit());

    auto second = BundleWriter::create(dir() / "c.tar", {});
    ASSERT_TRUE(second);
    std::uint64_t given = 0;
    auto short_big = second->add_stream("big", 8u << 20, 0644, [&](std::span<std::byte> buffer) -> Result<std::size_t> {
        if (given >= (3u << 20)) return 0;
        std::memset(buffer.data(), 1, buffer.size());
        given += buffer.size();
        return buffer.size();
    });
    ASSERT_FALSE(short_big);
    EXPECT_EQ(short_big.error().message, "big: source ended after 3145728 bytes (expected 8388608 bytes)");
    EXPECT_FALSE(second->commit());
}

ByteSource bytes_of(const std::string& data, std::size_t& at)
{
    return [&data, &at](std::span<std::byte> buffer) -> Result<std::size_t> {
        const auto n = std::min(buffer.size(), data.size() - at);
        std::memcpy(buffer.data(), data.data() + at, n);
        at += n;
        return n;
    };
}

// Checked entries of every size are hashed on the second thread: matching ones commit, and the
// bundle holds exactly what the unchecked path writes.
TEST_F(WriterTest, ChecksStreamsAsideAndWritesTheSameBytes)
{
    const std::vector<std::string> entries{std::string(100, 'a'), std::string((5u << 20) + 7, 'b'), std::string()};
    const auto write_all = [&](const stdfs::path& out, bool checked) {
        auto writer = BundleWriter::create(out, {});
        ASSERT_TRUE(writer);
        for (std::size_t e = 0; e < entries.size(); ++e) {
            std::size_t at = 0;
            const std::string path = "e" + std::to_string(e);
            if (checked) {
                ASSERT_TRUE(writer->add_checked_stream(path, entries[e].size(), 0644, bytes_of(entries[e], at),
                                                       crypto::sha256_hex(entries[e])));
            } else {
                ASSERT_TRUE(writer->add_stream(path, entries[e].size(), 0644, bytes_of(entries[e], at)));
            }
        }
        ASSERT_TRUE(writer->commit());
        EXPECT_FALSE(writer->hash_mismatch());
    };
    write_all(dir() / "checked.tar", true);
    write_all(dir() / "plain.tar", false);
    EXPECT_EQ(test::read_bytes(dir() / "checked.tar"), test::read_bytes(dir() / "plain.tar"));
}

// A checked entry is read straight into the hashing thread's blocks, in whatever pieces the
// source gives, across block boundaries and after other entries: every hash still matches, and
// the bundle holds the same bytes as one written without checks.
TEST_F(WriterTest, ChecksStreamsReadInOddPiecesAcrossBlocks)
{
    const std::vector<std::string> entries{patterned(100, 1), patterned(300001, 2), patterned(777, 3), patterned(600013, 4)};
    const auto write_all = [&](const stdfs::path& out, bool checked) {
        auto writer = BundleWriter::create(out, {});
        ASSERT_TRUE(writer);
        for (std::size_t e = 0; e < entries.size(); ++e) {
            const std::string& data = entries[e];
            std::size_t at = 0;
            const ByteSource dribble = [&](std::span<std::byte> buffer) -> Result<std::size_t> {
                const auto n = std::min({buffer.size(), data.size() - at, std::size_t{4099}});
                std::memcpy(buffer.data(), data.data() + at, n);
                at += n;
                return n;
            };
            const std::string path = "e" + std::to_string(e);
            if (checked)
                ASSERT_TRUE(writer->add_checked_stream(path, data.size(), 0644, dribble, crypto::sha256_hex(data)));
            else
                ASSERT_TRUE(writer->add_bytes(path, data, 0644));
        }
        const Status committed = writer->commit();
        ASSERT_TRUE(committed) << committed.error().message;
    };
    write_all(dir() / "checked.tar", true);
    write_all(dir() / "plain.tar", false);
    EXPECT_EQ(test::read_bytes(dir() / "checked.tar"), test::read_bytes(dir() / "plain.tar"));
}

// A mismatch is found on the hashing thread: it comes back from a later call or from commit(),
// names the entry, and the bundle is never committed.
TEST_F(WriterTest, ReportsACheckedStreamsMismatchLaterAndCommitsNothing)
{
    const std::string good = "good bytes";
    const std::string bad = "these bytes changed";
    for (const bool last : {false, true}) {
        const auto out = dir() / (last ? "last.tar" : "first.tar");
        auto writer = BundleWriter::create(out, {});
        ASSERT_TRUE(writer);
        std::size_t at = 0;
        const std::string expected = crypto::sha256_hex("what the lock said");
        Status status = writer->add_checked_stream("changed", bad.size(), 0644, bytes_of(bad, at), expected);
        // The check runs behind: the error surfaces from one of the next calls (a few at most,
        // as only 4 blocks may wait), or from commit().
        for (int i = 0; status && !last && i < 100; ++i) {
            std::size_t from = 0;
            status = writer->add_checked_stream("next" + std::to_string(i), good.size(), 0644, bytes_of(good, from),
                                                crypto::sha256_hex(good));
        }
        if (status) status = writer->commit();
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().code, ErrorCode::verification);
        EXPECT_EQ(status.error().message, "changed: sha256 " + crypto::sha256_hex(bad) + ", expected " + expected);
        ASSERT_TRUE(writer->hash_mismatch());
        EXPECT_EQ(writer->hash_mismatch()->path, "changed");
        EXPECT_EQ(writer->hash_mismatch()->actual, crypto::sha256_hex(bad));
        EXPECT_EQ(writer->hash_mismatch()->expected, expected);
        EXPECT_FALSE(writer->commit());
        EXPECT_FALSE(stdfs::exists(out));
    }
    EXPECT_TRUE(stdfs::is_empty(dir()));
}

TEST_F(WriterTest, RejectsShortAndLongStreams)
{
    auto writer = BundleWriter::create(dir() / "b.tar", {});
    ASSERT_TRUE(writer);
    auto zeros = [](std::span<std::byte> buffer) -> Result<std::size_t> {
        std::memset(buffer.data(), 0, buffer.size());
        return buffer.size();
    };
    auto long_stream = writer->add_stream("x", 10, 0644, zeros);
    ASSERT_FALSE(long_stream);
    EXPECT_EQ(long_stream.error().message, "x: source has more bytes (expected 10 bytes)");
    EXPECT_FALSE(writer->commit());

    auto second = BundleWriter::create(dir() / "c.tar", {});
    ASSERT_TRUE(second);
    auto short_stream = second->add_stream("x", 10, 0644, [](std::span<std::byte>) -> Result<std::size_t> { return 0; });
    ASSERT_FALSE(short_stream);
    EXPECT_EQ(short_stream.error().message, "x: source ended after 0 bytes (expected 10 bytes)");
}

TEST_F(WriterTest, LeavesNothingWithoutCommit)
{
    {
        auto writer = BundleWriter::create(dir() / "b.tar", {});
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->add_bytes("a", "data"));
    }
    EXPECT_TRUE(stdfs::is_empty(dir()));
}

TEST_F(WriterTest, RejectsUnsafePathsAndModes)
{
    auto writer = BundleWriter::create(dir() / "b.tar", {});
    ASSERT_TRUE(writer);
    EXPECT_FALSE(writer->add_bytes("../x", "data"));
    EXPECT_FALSE(writer->add_bytes("/etc/x", "data"));
    EXPECT_FALSE(writer->add_bytes("x", "data", 04755));
    EXPECT_FALSE(writer->add_symlink("evil", "../.."));
    EXPECT_FALSE(writer->add_symlink("evil", "/tmp"));
}

TEST_F(WriterTest, ChoosesCompressionFromName)
{
    EXPECT_EQ(compression_for_output("b.tar.zst"), Compression::zstd);
    EXPECT_EQ(compression_for_output("b.tzst"), Compression::zstd);
    EXPECT_EQ(compression_for_output("b.tar"), Compression::none);
}

}  // namespace
}  // namespace gapbundle::bundle
