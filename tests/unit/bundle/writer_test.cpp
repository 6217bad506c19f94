#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;

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
    const auto content = [](std::size_t size, unsigned seed) {
        std::string out(size, '\0');
        for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 2654435761u + seed) >> 13);
        return out;
    };
    const std::vector<std::string> entries{content(6u << 20, 1), content(100, 2), content((5u << 20) + 7, 3)};
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
