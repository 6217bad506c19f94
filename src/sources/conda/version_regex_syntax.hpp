#pragma once

// The syntax tree of a version regex (version_regex.hpp), parsed from the ECMAScript subset it
// supports. Private to conda.

#include <gapbundle/util/error.hpp>

#include <bitset>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda::detail {

enum class RegexCase { ignore, match };  // ASCII letters: as std::regex::icase, or as written

struct RegexTree {
    enum class Kind {
        bytes,        // one byte of `bytes` (a literal, '.', a class, an escape), both cases in if ignored
        begin,        // ^
        end,          // $
        sequence,     // children one after the other (none: the empty string)
        alternation,  // any one of children
        star,         // children[0] zero or more times
        plus,         // children[0] one or more times
        optional,     // children[0] zero times or once
    };
    Kind kind;
    std::bitset<256> bytes;
    std::vector<RegexTree> children;
};

// Errors (ErrorCode::manifest) carry the reason only: "repetition counts ('{') are not supported".
Result<RegexTree> parse_regex_tree(std::string_view pattern, RegexCase letter_case);

}  // namespace gapbundle::sources::conda::detail
