// RangedFile (a private header): ranges written in any order hash as the file in order.
#include "../../../src/net/ranged_file.hpp"

#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace gapbundle::net::detail {
namespace {

using testing::read_text;
using testing::TestDirFixture;

TEST(SplitIntoRangesTest, CutsConsecutiveRangesWithAShortLastOne)
{
    const auto ranges = split_into_ranges(10, 4);
    ASSERT_EQ(ranges.size(), 3u);
    EXPECT_EQ(ranges[0].start, 0u);
    EXPECT_EQ(ranges[0].length, 4u);
    EXPECT_EQ(ranges[2].start, 8u);
    EXPECT_EQ(ranges[2].length, 2u);
    EXPECT_EQ(split_into_ranges(8, 4).size(), 2u);
    EXPECT_TRUE(split_into_ranges(0, 4).empty());
}

class RangedFileTest : public TestDirFixture {
protected:
    static std::string content(std::size_t size)
    {
        std::string out(size, '\0');
        for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
        return out;
    }
    BackgroundHasher m_hasher;
};

TEST_F(RangedFileTest, RangesWrittenOutOfOrderHashAsTheWholeFile)
{
    const std::string data = content(5 * 1024 * 1024 + 17);  // several hash blocks
    const std::uint64_t chunk = 1024 * 1024 + 3;
    RangedFile file(dir() / "out", data.size(), chunk, m_hasher);
    ASSERT_TRUE(file.open());
    // Last range first, the others in small pieces, the first range last.
    for (std::size_t r = file.range_count(); r-- > 0;) {
        const ByteRange& range = file.range(r);
        for (std::uint64_t done = 0; done < range.length;) {
            const auto n = std::min<std::uint64_t>(70000, range.length - done);
            ASSERT_TRUE(file.write(r, std::string_view(data).substr(range.start + done, n)));
            done += n;
        }
        EXPECT_EQ(file.written(r), range.length);
    }
    auto sha = file.finish();
    ASSERT_TRUE(sha) << sha.error().message;
    EXPECT_EQ(*sha, crypto::sha256_hex(data));
    EXPECT_EQ(read_text(dir() / "out"), data);
}

TEST_F(RangedFileTest, FinishingEarlyIsAnErrorAndDiscardRemovesTheFile)
{
    RangedFile file(dir() / "out", 100, 40, m_hasher);
    ASSERT_TRUE(file.open());
    ASSERT_TRUE(file.write(0, content(40)));
    EXPECT_FALSE(file.finish());
    file.discard();
    EXPECT_FALSE(std::filesystem::exists(dir() / "out"));
}

TEST_F(RangedFileTest, AFailedRangeStopsTheOthersAndIsRemembered)
{
    RangedFile file(dir() / "out", 100, 40, m_hasher);
    ASSERT_TRUE(file.open());
    file.stop_after_failure(1);
    file.stop_after_failure(0);
    EXPECT_EQ(file.first_failed(), 1u);
    const auto refused = file.write(0, "abc");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("another range"), std::string::npos);
}

TEST_F(RangedFileTest, UnfinishedFileIsRemovedWhenDestroyed)
{
    {
        RangedFile file(dir() / "out", 100, 40, m_hasher);
        ASSERT_TRUE(file.open());
        ASSERT_TRUE(file.write(2, content(20)));
        EXPECT_TRUE(std::filesystem::exists(dir() / "out"));
    }
    EXPECT_FALSE(std::filesystem::exists(dir() / "out"));
}

}  // namespace
}  // namespace gapbundle::net::detail
