#pragma once

// The index's "components": JSON both ways. Private to the bundle layer.

#include <gapbundle/bundle/index.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::bundle::detail {

// A component's canonical JSON (keys in bytewise order, no spaces) in two parts, so that its
// paths, which for a folder are every file, can be written a piece at a time between them: all
// before the first path (ending in `"paths":[`), and all after the last (from its `]`). Paths are
// separated by commas.
void append_component_start(std::string& out, const Component& component);
void append_component_end(std::string& out, const Component& component);

// One item of "components", strict: known keys only, strings non-empty, lists sorted and unique.
// Its paths come apart from the item: parse_index takes them out of the JSON tree as they are
// parsed (a folder's list every file), and what it left in the item's "paths" must be an empty
// list. ErrorCode::verification naming `origin` and the component.
Result<Component> parse_component(const nlohmann::json& item, PathList paths, std::size_t position,
                                  std::string_view origin);

// The whole list, once the entries are known: sorted and unique by (kind, name, version), every
// path a file entry of `sorted_entries`.
Status check_components(const std::vector<Component>& components, const std::vector<Entry>& sorted_entries,
                        std::string_view origin);

}  // namespace gapbundle::bundle::detail
