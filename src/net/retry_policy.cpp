#include "retry_policy.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <charconv>
#include <string>

namespace gapbundle::net::detail {

bool is_retryable(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

bool is_retryable_status(long status)
{
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

bool honours_retry_after(long status) { return status == 429 || status == 503; }

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::int64_t now)
{
    value = text::trim(value);
    if (value.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc{} && end == value.data() + value.size())
        return std::chrono::seconds(std::max<std::int64_t>(seconds, 0));
    const std::string date(value);
    const time_t when = curl_getdate(date.c_str(), nullptr);
    if (when < 0) return std::nullopt;
    return std::chrono::seconds(std::max<std::int64_t>(static_cast<std::int64_t>(when) - now, 0));
}

std::chrono::milliseconds backoff_delay(const EngineOptions& options, int failed_attempts,
                                        double jitter_unit)
{
    using std::chrono::milliseconds;
    const auto cap = std::max(options.backoff_max, milliseconds(0));
    auto delay = std::max(options.backoff_initial, milliseconds(0));
    for (int i = 1; i < failed_attempts && delay < cap; ++i) delay *= 2;
    delay = std::min(delay, cap);
    const double jitter = static_cast<double>(delay.count()) * 0.1 * std::clamp(jitter_unit, 0.0, 1.0);
    return delay + milliseconds(static_cast<milliseconds::rep>(jitter));
}

std::chrono::milliseconds retry_delay(const EngineOptions& options, int failed_attempts,
                                      std::optional<std::chrono::seconds> retry_after,
                                      double jitter_unit)
{
    if (retry_after && *retry_after > std::chrono::seconds(0))
        return std::min(*retry_after, options.retry_after_max);
    return backoff_delay(options, failed_attempts, jitter_unit);
}

}  // namespace gapbundle::net::detail
