#pragma once

// When and how long to wait before another attempt (private to the net layer; pure logic).

#include <gapbundle/net/http_engine.hpp>

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gapbundle::net::detail {

// Transport errors worth another try: refused or reset connections, timeouts and stalls,
// bodies cut short.
bool is_retryable(CURLcode code);
// 408, 429 and 5xx.
bool is_retryable_status(long status);
// 429 and 503 carry a Retry-After worth honouring.
bool honours_retry_after(long status);

// "120" or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"); `now` in seconds since the epoch.
// A date in the past gives zero.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::int64_t now);

// Wait before attempt `failed_attempts + 1`: backoff_initial doubling per failed attempt,
// capped by backoff_max, plus up to 10% jitter drawn from `jitter_unit` in [0, 1).
std::chrono::milliseconds backoff_delay(const EngineOptions& options, int failed_attempts,
                                        double jitter_unit);

// The server's Retry-After capped by retry_after_max, else the backoff.
std::chrono::milliseconds retry_delay(const EngineOptions& options, int failed_attempts,
                                      std::optional<std::chrono::seconds> retry_after,
                                      double jitter_unit);

}  // namespace gapbundle::net::detail
