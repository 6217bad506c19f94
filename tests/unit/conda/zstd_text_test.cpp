#include "../../../src/sources/conda/zstd_text.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

namespace gapbundle::sources::conda::detail {
namespace {

std::string compress(const std::string& plain)
{
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 1);
    EXPECT_FALSE(ZSTD_isError(n));
    out.resize(ZSTD_isError(n) ? 0 : n);
    return out;
}

TEST(ZstdTextTest, DecompressesEveryFrame)
{
    const std::string a(300000, 'a');
    auto out = zstd_decompress(compress(a) + compress("tail"), 1 << 20);
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(*out, a + "tail");
}

TEST(ZstdTextTest, RejectsMoreThanTheCap)
{
    auto out = zstd_decompress(compress(std::string(4096, 'x')), 1024);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, ErrorCode::download);
    EXPECT_EQ(out.error().message, "decompresses to more than 1.0 KiB");
}

TEST(ZstdTextTest, RejectsAnEmptyBody)
{
    auto out = zstd_decompress("", 1024);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().message, "not a valid zstd stream (empty)");
}

}  // namespace
}  // namespace gapbundle::sources::conda::detail
