#pragma once

// ASCII helpers shared by the conda parsers (versions, match specs, repodata). conda's grammar
// is ASCII; no locale is involved.

#include <string>
#include <string_view>

namespace gapbundle::sources::conda::conda_text {

inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
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

// fnmatch with '*' as the only wildcard (conda's globs for versions and build strings).
inline bool glob_match(std::string_view pattern, std::string_view text)
{
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace gapbundle::sources::conda::conda_text
