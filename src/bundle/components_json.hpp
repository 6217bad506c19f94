#pragma once

// The index's "components": JSON both ways. Private to the bundle layer.

#include <gapbundle/bundle/index.hpp>

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace gapbundle::bundle::detail {

nlohmann::json components_to_json(const std::vector<Component>& components);

// Strict: known keys only, sorted and unique by (kind, name, version), every path a file entry of
// `sorted_entries`. ErrorCode::verification naming `origin` and the component.
Result<std::vector<Component>> parse_components(const nlohmann::json& value, const std::vector<Entry>& sorted_entries,
                                                std::string_view origin);

}  // namespace gapbundle::bundle::detail
