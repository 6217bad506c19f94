#pragma once

// ASCII helpers shared by the PEP 440 / PEP 508 parsers. Python's grammar for these is ASCII-only
// ([0-9], [a-z] under re.ASCII), so no locale is involved.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::pypi::pep_text {

inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}
inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline char to_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Reads the digits at s[pos...] as a number; nullopt when there are none or the value
// does not fit 64 bits (pos is then left where the digits start).
inline std::optional<std::uint64_t> read_number(std::string_view s, std::size_t& pos, bool& overflow)
{
    std::size_t i = pos;
    std::uint64_t value = 0;
    while (i < s.size() && is_digit(s[i])) {
        const auto digit = static_cast<std::uint64_t>(s[i] - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            overflow = true;
            return std::nullopt;
        }
        value = value * 10 + digit;
        ++i;
    }
    if (i == pos) return std::nullopt;
    pos = i;
    return value;
}

}  // namespace gapbundle::sources::pypi::pep_text
