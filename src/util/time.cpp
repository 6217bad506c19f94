#include <gapbundle/util/time.hpp>

#include <charconv>
#include <cstdlib>
#include <ctime>

namespace gapbundle::time {

Seconds now()
{
    return static_cast<Seconds>(std::time(nullptr));
}

Result<Seconds> build_time()
{
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch) return now();
    Seconds value = 0;
    const std::string_view text(epoch);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return fail(ErrorCode::usage, "SOURCE_DATE_EPOCH is not a non-negative integer: '" + std::string(text) + "'");
    return value;
}

namespace {

std::tm to_utc(Seconds t)
{
    const std::time_t value = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&value, &tm);
    return tm;
}

bool parse_int(std::string_view s, std::size_t pos, std::size_t len, int& out)
{
    if (pos + len > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

std::string format_rfc3339(Seconds t)
{
    const std::tm tm = to_utc(t);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string format_serial(Seconds t)
{
    const std::tm tm = to_utc(t);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%S", &tm);
    return buffer;
}

Result<Seconds> parse_rfc3339(std::string_view s)
{
    const auto bad = [&] {
        return fail(ErrorCode::manifest, "not an RFC 3339 time (like 2026-12-31T00:00:00Z): '" + std::string(s) + "'");
    };
    int year, month, day, hour, minute, second;
    if (s.size() < 20 || !parse_int(s, 0, 4, year) || s[4] != '-' || !parse_int(s, 5, 2, month) || s[7] != '-' ||
        !parse_int(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !parse_int(s, 11, 2, hour) ||
        s[13] != ':' || !parse_int(s, 14, 2, minute) || s[16] != ':' || !parse_int(s, 17, 2, second))
        return bad();
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad();
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const std::size_t digits = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == digits) return bad();
    }
    Seconds offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!parse_int(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !parse_int(s, pos + 4, 2, om))
            return bad();
        offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return bad();
    }
    if (pos != s.size()) return bad();
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t utc = ::timegm(&tm);
    if (tm.tm_mday != day) return bad();  // 2026-02-31 and the like
    return static_cast<Seconds>(utc) - offset;
}

Result<Seconds> parse_duration(std::string_view s)
{
    const auto bad = [&] {
        return fail(ErrorCode::manifest, "not a duration (like 30d, 12h, 90m, 45s, 2w): '" + std::string(s) + "'");
    };
    if (s.size() < 2) return bad();
    Seconds value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, value);
    if (ec != std::errc() || end != s.data() + s.size() - 1 || value <= 0) return bad();
    Seconds unit = 0;
    switch (s.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return bad();
    }
    if (value > (Seconds{1} << 40) / unit) return bad();
    return value * unit;
}

}  // namespace gapbundle::time
