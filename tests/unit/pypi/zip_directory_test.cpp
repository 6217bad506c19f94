#include "../../../src/sources/pypi/zip_directory.hpp"
#include "zip_writer.hpp"

#include <gtest/gtest.h>

namespace gapbundle::sources::pypi::zip {
namespace {

using testing::noise;
using testing::put_le;
using testing::write_zip;
using testing::ZipFormat;
using testing::ZipMember;

const std::string k_metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";

std::string sample(ZipFormat format = ZipFormat::classic)
{
    return write_zip({{"demo/__init__.py", "", ZipMember::Method::stored},
                      {"demo/blob.bin", noise(40000), ZipMember::Method::stored},
                      {"demo-1.0.dist-info/METADATA", k_metadata, ZipMember::Method::deflate}},
                     format);
}

Result<std::string> read_metadata(std::string bytes, const Limits& limits = {})
{
    MemorySource source(std::move(bytes));
    auto entries = read_directory(source, limits);
    if (!entries) return std::unexpected(entries.error());
    if (entries->size() != 3) return fail(ErrorCode::internal, "entries: " + std::to_string(entries->size()));
    return read_member(source, entries->back(), limits);
}

std::size_t end_record(const std::string& zip)
{
    return zip.rfind("PK\x05\x06");
}
std::size_t last_central(const std::string& zip)
{
    return zip.rfind("PK\x01\x02");
}

void expect_corrupt(const Result<std::string>& r, const std::string& fragment)
{
    ASSERT_FALSE(r) << "read " << r->size() << " bytes";
    EXPECT_EQ(r.error().code, ErrorCode::download);
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

TEST(ZipDirectoryTest, ReadsDeflatedAndStoredMembers)
{
    MemorySource source(sample());
    auto entries = read_directory(source, {});
    ASSERT_TRUE(entries) << entries.error().message;
    ASSERT_EQ(entries->size(), 3u);
    EXPECT_EQ((*entries)[1].name, "demo/blob.bin");
    EXPECT_EQ((*entries)[1].method, 0);
    auto blob = read_member(source, (*entries)[1], {});
    ASSERT_TRUE(blob) << blob.error().message;
    EXPECT_EQ(*blob, noise(40000));
    auto metadata = read_member(source, (*entries)[2], {});
    ASSERT_TRUE(metadata) << metadata.error().message;
    EXPECT_EQ(*metadata, k_metadata);
}

TEST(ZipDirectoryTest, ReadsZip64Records)
{
    auto metadata = read_metadata(sample(ZipFormat::zip64));
    ASSERT_TRUE(metadata) << metadata.error().message;
    EXPECT_EQ(*metadata, k_metadata);
}

TEST(ZipDirectoryTest, FindsTheEndRecordBehindALongComment)
{
    std::string zip = sample();
    const std::string comment(30000, 'c');
    put_le(zip, end_record(zip) + 20, comment.size(), 2);
    auto metadata = read_metadata(zip + comment);
    ASSERT_TRUE(metadata) << metadata.error().message;
}

TEST(ZipDirectoryTest, RejectsNotAZip)
{
    expect_corrupt(read_metadata(noise(100000)), "corrupt zip: no end of central directory record");
    expect_corrupt(read_metadata(""), "no end of central directory record");
}

TEST(ZipDirectoryTest, RejectsDirectoryPastTheEnd)
{
    std::string zip = sample();
    put_le(zip, end_record(zip) + 16, 0x7FFFFFF0, 4);
    expect_corrupt(read_metadata(zip), "central directory");
    expect_corrupt(read_metadata(zip), "out of range");
}

TEST(ZipDirectoryTest, RejectsHugeDirectory)
{
    std::string zip = sample();
    put_le(zip, end_record(zip) + 12, 0xFFFFFFF0, 4);  // size
    expect_corrupt(read_metadata(zip), "out of range");
    Limits small;
    small.max_directory = 64;
    expect_corrupt(read_metadata(sample(), small), "over the limit");
}

TEST(ZipDirectoryTest, RejectsTooManyEntries)
{
    std::string zip = sample();
    put_le(zip, end_record(zip) + 10, 0xFFFE, 2);
    expect_corrupt(read_metadata(zip), "more entries than the central directory holds");
}

TEST(ZipDirectoryTest, RejectsZip64RecordOutOfRange)
{
    std::string zip = sample(ZipFormat::zip64);
    const std::size_t locator = zip.rfind("PK\x06\x07");
    put_le(zip, locator + 8, 0x7FFFFFFFFFFFull, 8);
    expect_corrupt(read_metadata(zip), "ZIP64 end record out of range");
    std::string huge = sample(ZipFormat::zip64);
    const std::size_t record = huge.rfind("PK\x06\x06");
    put_le(huge, record + 40, 0x7FFFFFFFFFFFFFFFull, 8);  // directory size
    expect_corrupt(read_metadata(huge), "out of range");
}

TEST(ZipDirectoryTest, RejectsHugeMemberBeforeAllocating)
{
    std::string zip = sample();
    put_le(zip, last_central(zip) + 24, 0xFFFFFFF0, 4);  // uncompressed size
    expect_corrupt(read_metadata(zip), "is larger than the 8388608-byte limit");
    std::string big = sample(ZipFormat::zip64);
    const std::size_t extra = last_central(big) + 46 + std::string("demo-1.0.dist-info/METADATA").size();
    put_le(big, extra + 4, 0x7FFFFFFFFFFFull, 8);
    expect_corrupt(read_metadata(big), "is larger than");
}

TEST(ZipDirectoryTest, RejectsLocalHeaderOutOfRange)
{
    std::string zip = sample();
    put_le(zip, last_central(zip) + 42, 0x7FFFFFF0, 4);
    expect_corrupt(read_metadata(zip), "local header of 'demo-1.0.dist-info/METADATA' out of range");
}

TEST(ZipDirectoryTest, RejectsBadDeflateData)
{
    std::string zip = sample();
    const std::size_t at = zip.rfind("PK\x03\x04", last_central(zip));
    ASSERT_NE(at, std::string::npos);
    const std::size_t data = at + 30 + std::string("demo-1.0.dist-info/METADATA").size();
    zip[data] = static_cast<char>(0xFF);  // final block of the reserved type 3
    expect_corrupt(read_metadata(zip), "bad deflate data");
}

TEST(ZipDirectoryTest, RejectsWrongSizesAndChecksums)
{
    std::string longer = sample();
    put_le(longer, last_central(longer) + 24, k_metadata.size() + 10, 4);
    expect_corrupt(read_metadata(longer), "not the declared");
    std::string shorter = sample();
    put_le(shorter, last_central(shorter) + 24, 5, 4);
    expect_corrupt(read_metadata(shorter), "inflates to more than the declared 5 bytes");
    std::string crc = sample();
    put_le(crc, last_central(crc) + 16, 12345, 4);
    expect_corrupt(read_metadata(crc), "fails its CRC-32 check");
}

TEST(ZipDirectoryTest, RejectsUnsupportedMethods)
{
    std::string zip = sample();
    put_le(zip, last_central(zip) + 10, 14, 2);  // LZMA
    expect_corrupt(read_metadata(zip), "uses compression method 14");
    std::string encrypted = sample();
    put_le(encrypted, last_central(encrypted) + 8, 1, 2);
    expect_corrupt(read_metadata(encrypted), "is encrypted");
}

}  // namespace
}  // namespace gapbundle::sources::pypi::zip
