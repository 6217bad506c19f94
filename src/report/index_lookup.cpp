#include "index_lookup.hpp"

#include <algorithm>

namespace gapbundle::report {

EntriesByPath::EntriesByPath(const std::vector<bundle::Entry>& entries)
{
    m_sorted.reserve(entries.size());
    for (const auto& entry : entries) m_sorted.push_back(&entry);
    std::ranges::sort(m_sorted, {}, &bundle::Entry::path);
}

const bundle::Entry* EntriesByPath::find(std::string_view path) const
{
    const auto it = std::ranges::lower_bound(m_sorted, path, {}, [](const bundle::Entry* entry) {
        return std::string_view(entry->path);
    });
    return it != m_sorted.end() && (*it)->path == path ? *it : nullptr;
}

ComponentsByKind components_by_kind(const bundle::Index& index)
{
    ComponentsByKind by_kind;
    for (const auto& component : index.components) by_kind[component.kind].push_back(&component);
    return by_kind;
}

void for_each_loose_file(const bundle::Index& index, const std::function<void(const bundle::Entry&)>& visit)
{
    std::vector<std::string_view> held;
    for (const auto& component : index.components)
        if (component.kind == "files") held.insert(held.end(), component.paths.begin(), component.paths.end());
    std::ranges::sort(held);
    for (const auto& entry : index.entries) {
        if (!entry.path.starts_with("files/") || entry.type == bundle::EntryType::dir) continue;
        if (std::ranges::binary_search(held, std::string_view(entry.path))) continue;
        visit(entry);
    }
}

}  // namespace gapbundle::report
