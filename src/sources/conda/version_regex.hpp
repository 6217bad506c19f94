#pragma once

// The regex of a conda version spec ("^1\.2\.[0-9]+$", case ignored) or build string
// ("^py3[0-9]+_.*$", case kept), matched as std::regex_search with ECMAScript syntax would, but by
// a Thompson NFA simulated in time linear in the text (no backtracking, no recursion while
// matching). Private to conda.

#include "version_regex_syntax.hpp"

#include <gapbundle/util/error.hpp>

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda::detail {

class VersionRegex {
public:
    static constexpr std::size_t k_max_pattern_bytes = 128;

    // Supports literals, '.', [...] and [^...] with ranges, the escapes \d \D \w \W \s \S \n \r
    // \t \f \v and '\' before any other non-alphanumeric character, '*' '+' '?' (and their lazy
    // forms), ( ), (?: ) and '|', '^' and '$'. Anything else, e.g. {n,m} counts, backreferences or
    // lookaheads, is ErrorCode::manifest naming the regex and what is not supported:
    // "invalid regex '^1{2}$': repetition counts ('{') are not supported".
    static Result<VersionRegex> compile(std::string_view pattern, RegexCase letter_case = RegexCase::ignore);

    // Whether the pattern matches anywhere in `text` (std::regex_search).
    [[nodiscard]] bool matches(std::string_view text) const;

    [[nodiscard]] const std::string& pattern() const { return m_pattern; }

    enum class Op { byte, begin, end, split, jump, match };
    struct Instruction {
        Op op;
        std::size_t next = 0;       // split, jump: where to go; split's other branch is `alternative`
        std::size_t alternative = 0;
        std::bitset<256> bytes;     // byte: the bytes it accepts (both cases in, when case is ignored)
    };

private:
    VersionRegex() = default;

    std::string m_pattern;
    std::vector<Instruction> m_program;  // starts at 0
};

}  // namespace gapbundle::sources::conda::detail
