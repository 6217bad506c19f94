#include <gapbundle/util/text.hpp>

#include <gtest/gtest.h>

#include <array>

namespace gapbundle::text {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s)
{
    return {s.begin(), s.end()};
}

TEST(TextTest, EncodesHex)
{
    const std::vector<std::uint8_t> data{0x00, 0x0f, 0xa5, 0xff};
    EXPECT_EQ(to_hex(data), "000fa5ff");
}

TEST(TextTest, DecodesHexOfExactlyTheRightLength)
{
    std::array<std::uint8_t, 4> out{};
    ASSERT_TRUE(from_hex("000fA5ff", out));
    EXPECT_EQ(to_hex(out), "000fa5ff");
    EXPECT_FALSE(from_hex("000fa5f", out));    // odd
    EXPECT_FALSE(from_hex("000fa5ff00", out));  // too long
    EXPECT_FALSE(from_hex("000fa5fg", out));    // not a digit
    EXPECT_EQ(hex_value('F'), 15);
    EXPECT_EQ(hex_value('/'), -1);
}

TEST(TextTest, RecognisesSha256Hex)
{
    EXPECT_TRUE(is_sha256_hex(std::string(64, 'a')));
    EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
    EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
    EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));
}

TEST(TextTest, ComparesIgnoringAsciiCase)
{
    EXPECT_TRUE(text::iequals("Content-Range", "content-range"));
    EXPECT_TRUE(text::iequals("ABCdef0123", "abcDEF0123"));
    EXPECT_TRUE(text::iequals("", ""));
    EXPECT_FALSE(text::iequals("etag", "etags"));
    EXPECT_FALSE(text::iequals("abc", "abd"));
    EXPECT_FALSE(text::iequals("\xc3\x84", "\xc3\xa4"));  // only ASCII folds
}

TEST(TextTest, RoundTripsBase64OfEveryLength)
{
    const std::string source = "any carnal pleasure.";
    for (std::size_t n = 0; n <= source.size(); ++n) {
        const auto encoded = base64_encode(bytes(source.substr(0, n)));
        auto decoded = base64_decode(encoded);
        ASSERT_TRUE(decoded) << encoded;
        EXPECT_EQ(std::string(decoded->begin(), decoded->end()), source.substr(0, n));
    }
    EXPECT_EQ(base64_encode(bytes("foobar")), "Zm9vYmFy");
    EXPECT_EQ(base64_encode(bytes("fo")), "Zm8=");
}

TEST(TextTest, RejectsMalformedBase64)
{
    EXPECT_FALSE(base64_decode("abc"));
    EXPECT_FALSE(base64_decode("ab!d"));
    EXPECT_FALSE(base64_decode("a=bc"));
    EXPECT_FALSE(base64_decode("ab==abcd"));
}

TEST(TextTest, PercentEncodesAllButTheUnreservedAndWhatIsKept)
{
    EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(percent_encode("a b/c:d+e"), "a%20b%2Fc%3Ad%2Be");
    EXPECT_EQ(percent_encode("a b/c:d+e", "/:"), "a%20b/c:d%2Be");
    EXPECT_EQ(percent_encode("caf\xc3\xa9"), "caf%C3%A9");
    EXPECT_EQ(percent_encode("\xc3\xa9", "\xc3"), "%C3%A9");  // only ASCII is ever kept
    EXPECT_EQ(percent_encode(""), "");
}

TEST(TextTest, RedactsCredentialsInUrls)
{
    EXPECT_EQ(redact_url("https://user:secret@example.org/a@b"), "https://***@example.org/a@b");
    EXPECT_EQ(redact_url("https://example.org/a@b"), "https://example.org/a@b");
    EXPECT_EQ(redact_url("http://tok@127.0.0.1:80"), "http://***@127.0.0.1:80");
    EXPECT_EQ(redact_url("no-scheme"), "no-scheme");
}

TEST(TextTest, ReadsByteSizesAsSplitDoes)
{
    EXPECT_EQ(text::parse_byte_size("4096"), 4096u);
    EXPECT_EQ(text::parse_byte_size("64K"), 65536u);
    EXPECT_EQ(text::parse_byte_size("64k"), 65536u);
    EXPECT_EQ(text::parse_byte_size("700M"), 700ull << 20);
    EXPECT_EQ(text::parse_byte_size("4G"), 4ull << 30);
    EXPECT_EQ(text::parse_byte_size("4GiB"), 4ull << 30);
    EXPECT_EQ(text::parse_byte_size("2T"), 2ull << 40);
    EXPECT_EQ(text::parse_byte_size("25GB"), 25000000000ull);
    EXPECT_EQ(text::parse_byte_size("1kb"), 1000u);
    for (const char* bad : {"", "G", "0", "0M", "4.7G", "-1", "4X", "4GG", "4 G", "4Gi", "99999999999999999999",
                            "20000000T"})
        EXPECT_EQ(text::parse_byte_size(bad), std::nullopt) << bad;
}

TEST(TextTest, FormatsHumanBytes)
{
    EXPECT_EQ(human_bytes(512), "512 B");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(3ull << 30), "3.0 GiB");
}

TEST(TextTest, SplitsAndTrims)
{
    EXPECT_EQ(trim("  a b \n"), "a b");
    const auto parts = split("a//b", '/');
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[1], "");
}

TEST(TextTest, EscapesHtmlForContentAndQuotedAttributes)
{
    EXPECT_EQ(html_escape(R"(<a href="x" title='y'>&amp;</a>)"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    EXPECT_EQ(html_escape("caf\xc3\xa9 plain"), "caf\xc3\xa9 plain");
    EXPECT_EQ(html_escape(""), "");
}

}  // namespace
}  // namespace gapbundle::text
