#pragma once

// What the report's model and page both ask of an index: an entry by its path, and the files under
// files/ that no component holds.

#include <gapbundle/bundle/index.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::report {

// A pointer to each entry, sorted by path: a report is made of any index, sorted or not, and a map of
// 66,000 paths would cost megabytes where this costs half of one.
class EntriesByPath {
public:
    explicit EntriesByPath(const std::vector<bundle::Entry>& entries);
    [[nodiscard]] const bundle::Entry* find(std::string_view path) const;

private:
    std::vector<const bundle::Entry*> m_sorted;
};

// The index's components of each kind, in the index's order, which is the model's.
using ComponentsByKind = std::map<std::string, std::vector<const bundle::Component*>, std::less<>>;
ComponentsByKind components_by_kind(const bundle::Index& index);

// The files and links under files/ that no "files" component holds (every one, in a bundle made
// before files entries were components), in the index's order.
void for_each_loose_file(const bundle::Index& index, const std::function<void(const bundle::Entry&)>& visit);

}  // namespace gapbundle::report
