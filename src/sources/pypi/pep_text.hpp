#pragma once

// ASCII helpers shared by the PEP 440 / PEP 508 parsers (util/ascii.hpp's, and number reading). Python's grammar for these is ASCII-only
// ([0-9], [a-z] under re.ASCII), so no locale is involved.

#include <gapbundle/util/ascii.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::pypi::pep_text {

using ascii::is_digit;
using ascii::is_alpha;
using ascii::is_alnum;
using ascii::is_space;
using ascii::to_lower;
using ascii::lower;
using ascii::trim;

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
