#pragma once

// `gapbundle diff`: what changed between two releases, from their indexes alone. Components (the
// packages, images and model repos the index names) are compared by kind and name; the entries no
// component holds, by path under their top folder.

#include <gapbundle/bundle/index.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gapbundle::ops {

struct ComponentVersion {
    std::string name;
    std::string version;

    bool operator==(const ComponentVersion&) const = default;
};

enum class ComponentChangeReason {
    version,   // one version on each side, not the same
    versions,  // several versions on a side: the sets differ (versions joined with ", ")
    contents,  // the same version, but its entries differ (path, sha256 or link target): a rebuild
};
std::string_view to_string(ComponentChangeReason reason);

struct ComponentChange {
    std::string name;
    std::string old_version;
    std::string new_version;
    ComponentChangeReason reason = ComponentChangeReason::version;

    bool operator==(const ComponentChange&) const = default;
};

// Each list sorted by name, then version.
struct KindDiff {
    std::vector<ComponentVersion> added;
    std::vector<ComponentVersion> removed;
    std::vector<ComponentChange> changed;
};

// An entry at the same path on both sides that is not the same: another type, sha256, mode or
// link target.
struct EntryChange {
    bundle::Entry old_entry;
    bundle::Entry new_entry;
};

// Each list sorted by path.
struct FolderDiff {
    std::vector<bundle::Entry> added;
    std::vector<bundle::Entry> removed;
    std::vector<EntryChange> changed;
};

struct IndexDiff {
    std::map<std::string, KindDiff> kinds;      // by component kind, only kinds that differ
    std::map<std::string, FolderDiff> folders;  // by top folder, only folders whose loose entries differ
    std::uint64_t old_bytes = 0;                // payload file bytes, without gapbundle/
    std::uint64_t new_bytes = 0;

    [[nodiscard]] std::size_t added() const;
    [[nodiscard]] std::size_t removed() const;
    [[nodiscard]] std::size_t changed() const;
    [[nodiscard]] bool empty() const { return kinds.empty() && folders.empty(); }
};

// Components are paired by (kind, name). Entries that are a component's path on either side are
// left to the component; folders and the reserved gapbundle/ entries are not compared.
IndexDiff diff_indexes(const bundle::Index& old_index, const bundle::Index& new_index);

}  // namespace gapbundle::ops
