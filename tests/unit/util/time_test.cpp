#include <gapbundle/util/time.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace gapbundle::time {
namespace {

TEST(TimeTest, FormatsRfc3339AndSerial)
{
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_rfc3339(1795916000), "2026-11-29T01:33:20Z");
    EXPECT_EQ(format_serial(1795916000), "20261129013320");
}

TEST(TimeTest, ParsesRfc3339WithOffsetsAndFractions)
{
    EXPECT_EQ(parse_rfc3339("2026-11-29T01:33:20Z").value(), 1795916000);
    EXPECT_EQ(parse_rfc3339("2026-11-29T02:33:20.125+01:00").value(), 1795916000);
    EXPECT_EQ(parse_rfc3339("2026-11-28T20:33:20-05:00").value(), 1795916000);
}

TEST(TimeTest, RejectsMalformedTimes)
{
    for (const char* bad : {"2026-11-29", "2026-13-01T00:00:00Z", "2026-02-31T00:00:00Z", "2026-11-29T00:00:00",
                            "2026-11-29T00:00:00Zjunk", "tomorrow"}) {
        auto parsed = parse_rfc3339(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    }
}

TEST(TimeTest, ParsesDurations)
{
    EXPECT_EQ(parse_duration("30d").value(), 30 * 86400);
    EXPECT_EQ(parse_duration("12h").value(), 12 * 3600);
    EXPECT_EQ(parse_duration("90m").value(), 90 * 60);
    EXPECT_EQ(parse_duration("45s").value(), 45);
    EXPECT_EQ(parse_duration("2w").value(), 14 * 86400);
    for (const char* bad : {"", "d", "30", "-1d", "0d", "3.5d", "30y", "99999999999999999999d"})
        EXPECT_FALSE(parse_duration(bad)) << bad;
}

TEST(TimeTest, BuildTimeHonoursSourceDateEpoch)
{
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    EXPECT_EQ(build_time().value(), 1700000000);
    ::setenv("SOURCE_DATE_EPOCH", "soon", 1);
    EXPECT_FALSE(build_time());
    ::unsetenv("SOURCE_DATE_EPOCH");
    EXPECT_GT(build_time().value(), 1700000000);
}

}  // namespace
}  // namespace gapbundle::time
