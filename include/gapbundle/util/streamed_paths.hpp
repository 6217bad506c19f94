#pragma once

#include <nlohmann/json.hpp>

#include <gapbundle/util/path_list.hpp>

namespace gapbundle {

// The strings of a list item's "paths", taken out of the JSON tree as nlohmann's parser meets
// them: a folder's component lists every file, and a path costs a json node and a std::string in
// the tree but only its bytes in a PathList. The index and the lock both parse their components
// this way; the item's own checks then see what was taken and what was left (anything else stays
// in the tree, where "paths" must be found empty).
class StreamedPaths {
public:
    // For an event of the parse callback inside an item at depth 2 (its keys at depth 3): true when
    // it was a string of the item's "paths", taken, which the callback then drops from the tree.
    bool take(int depth, nlohmann::json::parse_event_t event, const nlohmann::json& parsed);

    // The paths taken since the last call: at the end of each item, which leaves "paths" behind.
    PathList release();

private:
    bool m_in_paths = false;
    PathList m_paths;
};

}  // namespace gapbundle
