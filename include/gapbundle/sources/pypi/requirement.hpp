#pragma once

#include <gapbundle/sources/pypi/markers.hpp>
#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/sources/pypi/specifier.hpp>
#include <gapbundle/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

// A PEP 508 dependency specifier: "requests[socks] >=2.8.1, ==2.8.* ; python_version < '3.12'"
// or "pip @ https://example.org/pip-24.0-py3-none-any.whl".
struct Requirement {
    std::string name;                 // as written
    std::vector<std::string> extras;  // as written, in order, duplicates dropped
    SpecifierSet specifier;           // empty with a URL
    std::optional<std::string> url;
    std::optional<Marker> marker;

    // Errors (ErrorCode::manifest) quote the text and point at the column:
    // "invalid requirement 'numpy>=': expected a version after '>=' (column 8)".
    static Result<Requirement> parse(std::string_view text);

    // "name[extra1,extra2]>=1.0,<2; marker" or "name @ url ; marker".
    [[nodiscard]] std::string to_string() const;
};

}  // namespace gapbundle::sources::pypi
