#include <gapbundle/ops/bundle_diff.hpp>

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

namespace gapbundle::ops {

namespace {

using Versions = std::map<std::string_view, const bundle::Component*>;  // by version
using Names = std::map<std::string_view, Versions>;                     // by name
using Kinds = std::map<std::string_view, Names>;                        // by kind
using Loose = std::vector<const bundle::Entry*>;                        // sorted by path

// Calls visit(key, a_value_or_null, b_value_or_null) for every key of either map, in key order.
template <class Map, class Visit>
void for_each_key(const Map& a, const Map& b, Visit visit)
{
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
            visit(ia->first, &ia->second, nullptr);
            ++ia;
        } else if (ia == a.end() || ib->first < ia->first) {
            visit(ib->first, nullptr, &ib->second);
            ++ib;
        } else {
            visit(ia->first, &ia->second, &ib->second);
            ++ia;
            ++ib;
        }
    }
}

// The same bytes (or link target) and mode; the size follows the sha256. Where a file was in the
// base is how it travelled, not what it is.
bool same_entry(const bundle::Entry& a, const bundle::Entry& b)
{
    return a.type == b.type && a.sha256 == b.sha256 && a.mode == b.mode &&
           (a.type != bundle::EntryType::symlink || a.link_target == b.link_target);
}

const bundle::Entry* entry_at(const bundle::Index& index, std::string_view path)
{
    return bundle::find_entry(index.entries, path);
}

bool same_contents(const bundle::Component& a, const bundle::Index& a_index, const bundle::Component& b,
                   const bundle::Index& b_index)
{
    if (a.paths != b.paths) return false;
    for (const auto& path : a.paths) {
        const bundle::Entry* a_entry = entry_at(a_index, path);
        const bundle::Entry* b_entry = entry_at(b_index, path);
        if (!a_entry || !b_entry) {
            if (a_entry != b_entry) return false;
        } else if (!same_entry(*a_entry, *b_entry)) {
            return false;
        }
    }
    return true;
}

// A files entry stays a set of files here: which file of a folder changed says more than a new
// tree hash.
bool compared_as_component(const bundle::Component& component)
{
    return component.kind != "files";
}

Kinds group_components(const bundle::Index& index)
{
    Kinds kinds;
    for (const auto& component : index.components)
        if (compared_as_component(component)) kinds[component.kind][component.name][component.version] = &component;
    return kinds;
}

std::string joined_versions(const Versions& versions)
{
    std::string text;
    for (const auto& [version, component] : versions) {
        if (!text.empty()) text += ", ";
        text += version;
    }
    return text;
}

bool same_version_set(const Versions& a, const Versions& b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) { return x.first == y.first; });
}

struct Sides {
    const bundle::Index& old_index;
    const bundle::Index& new_index;
};

// One name of a kind, present on at least one side.
void diff_name(std::string_view name, const Versions* old_versions, const Versions* new_versions, const Sides& sides,
               KindDiff& out)
{
    if (!old_versions || !new_versions) {
        auto& list = old_versions ? out.removed : out.added;
        for (const auto& [version, component] : old_versions ? *old_versions : *new_versions)
            list.push_back(ComponentVersion{std::string(name), std::string(version)});
        return;
    }
    for (const auto& [version, old_component] : *old_versions) {
        const auto found = new_versions->find(version);
        if (found != new_versions->end() &&
            !same_contents(*old_component, sides.old_index, *found->second, sides.new_index))
            out.changed.push_back(ComponentChange{std::string(name), std::string(version), std::string(version),
                                                  ComponentChangeReason::contents});
    }
    if (same_version_set(*old_versions, *new_versions)) return;
    const bool single = old_versions->size() == 1 && new_versions->size() == 1;
    out.changed.push_back(ComponentChange{std::string(name), joined_versions(*old_versions),
                                          joined_versions(*new_versions),
                                          single ? ComponentChangeReason::version : ComponentChangeReason::versions});
}

void diff_components(const Sides& sides, IndexDiff& diff)
{
    const Kinds old_kinds = group_components(sides.old_index);
    const Kinds new_kinds = group_components(sides.new_index);
    for_each_key(old_kinds, new_kinds, [&](std::string_view kind, const Names* old_names, const Names* new_names) {
        static const Names none;
        KindDiff kind_diff;
        for_each_key(old_names ? *old_names : none, new_names ? *new_names : none,
                     [&](std::string_view name, const Versions* old_versions, const Versions* new_versions) {
                         diff_name(name, old_versions, new_versions, sides, kind_diff);
                     });
        if (!kind_diff.added.empty() || !kind_diff.removed.empty() || !kind_diff.changed.empty())
            diff.kinds.emplace(std::string(kind), std::move(kind_diff));
    });
}

// The entries to compare by path: not folders, not gapbundle/, not held by a component of either
// side. Pointers, 8 bytes an entry where a map's node took 64: a parsed index is already in order.
Loose loose_entries(const bundle::Index& index, const std::set<std::string_view>& held)
{
    Loose loose;
    for (const auto& entry : index.entries)
        if (entry.type != bundle::EntryType::dir && !bundle::is_reserved(entry.path) && !held.contains(entry.path))
            loose.push_back(&entry);
    const auto by_path = [](const bundle::Entry* a, const bundle::Entry* b) { return a->path < b->path; };
    if (!std::ranges::is_sorted(loose, by_path)) std::ranges::sort(loose, by_path);
    return loose;
}

// Calls visit(path, old_or_null, new_or_null) for every path of either side, in path order.
template <class Visit>
void for_each_path(const Loose& old_loose, const Loose& new_loose, Visit visit)
{
    auto a = old_loose.begin();
    auto b = new_loose.begin();
    while (a != old_loose.end() || b != new_loose.end()) {
        const bundle::Entry* old_entry = a != old_loose.end() ? *a : nullptr;
        const bundle::Entry* new_entry = b != new_loose.end() ? *b : nullptr;
        if (old_entry && new_entry && old_entry->path != new_entry->path)
            (old_entry->path < new_entry->path ? new_entry : old_entry) = nullptr;
        visit(old_entry ? old_entry->path : new_entry->path, old_entry, new_entry);
        if (old_entry) ++a;
        if (new_entry) ++b;
    }
}

// The first component of the path, "." for an entry at the top.
std::string top_folder(std::string_view path)
{
    const auto slash = path.find('/');
    return slash == std::string_view::npos ? std::string(".") : std::string(path.substr(0, slash));
}

// Where a symlink entry points, resolved by name from its folder ("" if it climbs out).
std::string link_destination(const bundle::Entry& link)
{
    const auto slash = link.path.rfind('/');
    std::vector<std::string_view> parts;
    if (slash != std::string::npos) parts = text::split(std::string_view(link.path).substr(0, slash), '/');
    for (const std::string_view part : text::split(link.link_target, '/')) {
        if (part == "..") {
            if (parts.empty()) return {};
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
    }
    std::string out;
    for (const auto part : parts) (out.empty() ? out : out += '/') += part;
    return out;
}

void diff_entries(const Sides& sides, IndexDiff& diff)
{
    std::set<std::string_view> held;
    for (const auto* index : {&sides.old_index, &sides.new_index})
        for (const auto& component : index->components)
            if (compared_as_component(component)) held.insert(component.paths.begin(), component.paths.end());
    // A link into a component's files belongs to it too (a Hub snapshot's links to its blobs): a
    // model at a new commit is one line, not one per file.
    std::vector<std::string_view> links;
    for (const auto* index : {&sides.old_index, &sides.new_index})
        for (const auto& entry : index->entries)
            if (entry.type == bundle::EntryType::symlink && held.contains(link_destination(entry)))
                links.push_back(entry.path);
    held.insert(links.begin(), links.end());
    const Loose old_loose = loose_entries(sides.old_index, held);
    const Loose new_loose = loose_entries(sides.new_index, held);
    for_each_path(old_loose, new_loose,
                  [&](std::string_view path, const bundle::Entry* old_entry, const bundle::Entry* new_entry) {
                      if (old_entry && new_entry && same_entry(*old_entry, *new_entry)) return;
                      FolderDiff& folder = diff.folders[top_folder(path)];
                      if (!new_entry)
                          folder.removed.push_back(*old_entry);
                      else if (!old_entry)
                          folder.added.push_back(*new_entry);
                      else
                          folder.changed.push_back(EntryChange{*old_entry, *new_entry});
                  });
}

std::uint64_t payload_bytes(const bundle::Index& index)
{
    std::uint64_t total = 0;
    for (const auto& entry : index.entries)
        if (entry.type == bundle::EntryType::file && !bundle::is_reserved(entry.path)) total += entry.size;
    return total;
}

template <class KindList, class FolderList>
std::size_t count(const IndexDiff& diff, KindList KindDiff::*kind_list, FolderList FolderDiff::*folder_list)
{
    std::size_t total = 0;
    for (const auto& [kind, kind_diff] : diff.kinds) total += (kind_diff.*kind_list).size();
    for (const auto& [folder, folder_diff] : diff.folders) total += (folder_diff.*folder_list).size();
    return total;
}

}  // namespace

std::string_view to_string(ComponentChangeReason reason)
{
    switch (reason) {
        case ComponentChangeReason::version:
            return "version";
        case ComponentChangeReason::versions:
            return "versions";
        case ComponentChangeReason::contents:
            return "contents";
    }
    return "version";
}

std::size_t IndexDiff::added() const
{
    return count(*this, &KindDiff::added, &FolderDiff::added);
}

std::size_t IndexDiff::removed() const
{
    return count(*this, &KindDiff::removed, &FolderDiff::removed);
}

std::size_t IndexDiff::changed() const
{
    return count(*this, &KindDiff::changed, &FolderDiff::changed);
}

IndexDiff diff_indexes(const bundle::Index& old_index, const bundle::Index& new_index)
{
    const Sides sides{old_index, new_index};
    IndexDiff diff;
    diff_components(sides, diff);
    diff_entries(sides, diff);
    diff.old_bytes = payload_bytes(old_index);
    diff.new_bytes = payload_bytes(new_index);
    return diff;
}

}  // namespace gapbundle::ops
