#pragma once

// What the Helm readers (Chart.yaml, index.yaml, values.yaml) share about reading YAML (private
// to the helm source kind).

#include <gapbundle/util/error.hpp>

#include <yaml-cpp/yaml.h>

#include <string>

namespace gapbundle::sources::helm::reading {

// ErrorCode::download "LOCATION:LINE:COLUMN: message", at the top of the file when the mark is null.
inline std::unexpected<Error> yaml_error(const std::string& location, const YAML::Mark& mark, const std::string& message)
{
    const int line = mark.is_null() ? 1 : mark.line + 1;
    const int column = mark.is_null() ? 1 : mark.column + 1;
    return std::unexpected(
        Error{ErrorCode::download, location + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message});
}

// The scalar under `key`, or "" when it is missing or not a scalar.
inline std::string scalar(const YAML::Node& map, const char* key)
{
    const YAML::Node node = map[key];
    return node && node.IsScalar() ? node.Scalar() : std::string();
}

}  // namespace gapbundle::sources::helm::reading
