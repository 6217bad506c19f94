#pragma once

// The tree behind VersionSpec: leaves compare a version, inner nodes combine their children.

#include <gapbundle/sources/conda/version_spec.hpp>

#include "version_regex.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {

enum class VersionOperator {
    any,              // *
    equal,            // ==1.2 and a bare 1.2
    not_equal,        // !=1.2
    less,             // <
    less_equal,       // <=
    greater,          // >
    greater_equal,    // >=
    starts_with,      // =1.2, 1.2.*, 1.2*
    not_starts_with,  // !=1.2.*
    compatible,       // ~=1.2.3: >=1.2.3 and starts with 1.2
    glob,             // 1.*.3, matched against the lower-cased version text
    regex,            // ^...$
    all_of,           // ,
    any_of,           // |
};

struct VersionSpec::Node {
    VersionOperator op;
    std::optional<VersionOrder> operand;            // comparisons
    std::optional<VersionOrder> compatible_prefix;  // ~= only
    std::string pattern;                            // glob
    std::optional<detail::VersionRegex> regex;      // regex
    std::vector<std::size_t> children;              // all_of, any_of: indexes of earlier nodes
};

}  // namespace gapbundle::sources::conda
