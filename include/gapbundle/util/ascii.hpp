#pragma once

// ASCII character classes for the grammars gapbundle parses (PEP 440/508, conda versions and
// match specs): ASCII by definition, so no locale is involved.

#include <string>
#include <string_view>

namespace gapbundle::ascii {

inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
inline bool is_alpha(char c)
{
    return is_lower(c) || (c >= 'A' && c <= 'Z');
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

// Without the whitespace is_space names at either end.
inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace gapbundle::ascii
