#pragma once

// ASCII helpers shared by the conda parsers (versions, match specs, repodata): util/ascii.hpp's,
// and conda's globs. conda's grammar is ASCII; no locale is involved.

#include <gapbundle/util/ascii.hpp>

#include <string>
#include <string_view>

namespace gapbundle::sources::conda::conda_text {

using ascii::is_digit;
using ascii::is_lower;
using ascii::is_space;
using ascii::to_lower;
using ascii::lower;
using ascii::trim;

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
