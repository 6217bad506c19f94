#pragma once

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/path_list.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest {

inline constexpr int k_lock_version = 1;

// One exact artifact: where it comes from, where it lands in the bundle, what it hashes to.
struct LockedArtifact {
    std::string kind;         // "files", "images"
    std::string bundle_path;  // e.g. "files/tools/tokenizer.model"
    // http(s)://, file://, or oci://REGISTRY/REPOSITORY/{manifests,blobs}/sha256:HEX (never with
    // credentials); empty when `content` holds the bytes.
    std::string url;
    std::uint64_t size = 0;
    std::string sha256;
    std::uint32_t mode = 0644;
    std::string origin;       // the manifest entry that asked for it: "files[2]"
    // Small documents gapbundle writes itself (an OCI layout's index.json), carried in the lock
    // so that it alone rebuilds the bundle.
    std::optional<std::string> content;
    // A symbolic link instead of a file: its relative target (a hub cache's snapshot files). Then
    // url is empty, there is no content, size and mode are 0 and sha256 is empty.
    std::optional<std::string> link;

    [[nodiscard]] bool is_link() const { return link.has_value(); }

    bool operator==(const LockedArtifact&) const = default;
};

// What a resolver chose, for audits; pack copies it into the bundle index (docs/bundle-format.md).
struct ComponentDependency {
    std::string name;         // the component it needs (same kind)
    std::string requirement;  // as the metadata writes it

    bool operator==(const ComponentDependency&) const = default;
};

struct Component {
    std::string kind;                   // "pip"
    std::string name;                   // canonical
    std::string version;
    PathList paths;                     // bundle paths of its artifacts, sorted
    std::vector<std::string> requested;  // manifest requirement lines that named it, sorted
    std::vector<ComponentDependency> dependencies;  // sorted by name, then requirement
    std::vector<std::string> platforms;  // images: "os/arch[/variant]" the layout carries, sorted; else empty

    bool operator==(const Component&) const = default;
};

// Sorts `requested` and `dependencies` (by name, then requirement) and drops repeats, as the
// lock and the index keep them.
void normalise(Component& component);

struct Lock {
    int version = k_lock_version;
    std::string name;
    std::string manifest_sha256;
    std::vector<LockedArtifact> artifacts;  // sorted by bundle_path
    std::vector<Component> components;      // sorted by kind, name, version

    bool operator==(const Lock&) const = default;
};

// Stable, pretty-printed JSON (sorted keys, 2-space indent, trailing newline).
std::string to_json(const Lock& lock);
// The same text handed to `out` in pieces of about 64 KiB.
void write_json(const Lock& lock, const std::function<void(std::string_view)>& out);

// "oci://docker.io/library/python/blobs/sha256:..." from its parts, and back.
struct OciLocation {
    std::string registry;
    std::string repository;
    bool is_manifest = false;  // manifests/ rather than blobs/
    std::string digest;        // "sha256:<hex>"
};
std::string to_oci_url(const OciLocation& location);
std::optional<OciLocation> parse_oci_url(std::string_view url);
Result<Lock> parse_lock(std::string_view json, const std::filesystem::path& file);
Result<Lock> load_lock(const std::filesystem::path& file);
Status save_lock(const Lock& lock, const std::filesystem::path& file);

}  // namespace gapbundle::manifest
