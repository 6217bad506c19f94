// The pure retry rules behind HttpEngine (a private header of src/net).
#include "../../../src/net/retry_policy.hpp"

#include <gtest/gtest.h>

namespace gapbundle::net::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicyTest, ParsesRetryAfterSeconds)
{
    EXPECT_EQ(parse_retry_after("1", 0), seconds(1));
    EXPECT_EQ(parse_retry_after(" 120 ", 0), seconds(120));
    EXPECT_EQ(parse_retry_after("", 0), std::nullopt);
    EXPECT_EQ(parse_retry_after("soon", 0), std::nullopt);
}

TEST(RetryPolicyTest, ParsesRetryAfterHttpDate)
{
    // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30), seconds(30));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 30), seconds(0));
}

TEST(RetryPolicyTest, DoublesBackoffUpToCap)
{
    EngineOptions options;
    options.backoff_initial = milliseconds(100);
    options.backoff_max = milliseconds(500);
    EXPECT_EQ(backoff_delay(options, 1, 0.0), milliseconds(100));
    EXPECT_EQ(backoff_delay(options, 2, 0.0), milliseconds(200));
    EXPECT_EQ(backoff_delay(options, 3, 0.0), milliseconds(400));
    EXPECT_EQ(backoff_delay(options, 4, 0.0), milliseconds(500));
    EXPECT_EQ(backoff_delay(options, 40, 0.0), milliseconds(500));
    EXPECT_EQ(backoff_delay(options, 2, 0.999), milliseconds(219));  // jitter below 10%
}

TEST(RetryPolicyTest, PrefersCappedRetryAfter)
{
    EngineOptions options;
    options.backoff_initial = milliseconds(100);
    options.retry_after_max = seconds(10);
    EXPECT_EQ(retry_delay(options, 1, seconds(3), 0.0), seconds(3));
    EXPECT_EQ(retry_delay(options, 1, seconds(3600), 0.0), seconds(10));
    EXPECT_EQ(retry_delay(options, 1, std::nullopt, 0.0), milliseconds(100));
}

TEST(RetryPolicyTest, ClassifiesFailures)
{
    EXPECT_TRUE(is_retryable(CURLE_PARTIAL_FILE));
    EXPECT_TRUE(is_retryable(CURLE_OPERATION_TIMEDOUT));
    EXPECT_TRUE(is_retryable(CURLE_COULDNT_CONNECT));
    EXPECT_FALSE(is_retryable(CURLE_PEER_FAILED_VERIFICATION));
    EXPECT_FALSE(is_retryable(CURLE_TOO_MANY_REDIRECTS));
    for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) EXPECT_TRUE(is_retryable_status(status)) << status;
    for (long status : {400L, 401L, 403L, 404L, 410L}) EXPECT_FALSE(is_retryable_status(status)) << status;
    EXPECT_TRUE(honours_retry_after(429));
    EXPECT_TRUE(honours_retry_after(503));
    EXPECT_FALSE(honours_retry_after(500));
}

}  // namespace
}  // namespace gapbundle::net::detail
