#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace gapbundle::time {

using Seconds = std::int64_t;  // seconds since the Unix epoch, UTC

Seconds now();
// SOURCE_DATE_EPOCH when set (reproducible builds), else now().
Result<Seconds> build_time();
std::string format_rfc3339(Seconds t);       // 2026-11-29T07:51:09Z
std::string format_serial(Seconds t);        // 20261129075109
Result<Seconds> parse_rfc3339(std::string_view s);  // Z or +hh:mm offsets, optional fraction
// "30d", "12h", "90m", "45s", "2w" → seconds.
Result<Seconds> parse_duration(std::string_view s);

}  // namespace gapbundle::time
