#pragma once

// The marker grammar, shared by Marker::parse and the requirement parser (which finds a
// marker after ';' and reports columns in the whole requirement).

#include <gapbundle/sources/pypi/markers.hpp>

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace gapbundle::sources::pypi {

struct SyntaxError {
    std::string message;
    std::size_t position;  // 0-based offset in the text given to the parser
};

// Parses text[pos...] to its end as a marker expression.
std::expected<Marker, SyntaxError> parse_marker_from(std::string_view text, std::size_t pos);

}  // namespace gapbundle::sources::pypi
