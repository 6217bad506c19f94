#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest {

inline constexpr int k_lock_version = 1;

// One exact artifact: where it comes from, where it lands in the bundle, what it hashes to.
struct LockedArtifact {
    std::string kind;         // "files"
    std::string bundle_path;  // e.g. "files/tools/tokenizer.model"
    std::string url;          // http(s):// or file:// (never with credentials)
    std::uint64_t size = 0;
    std::string sha256;
    std::uint32_t mode = 0644;
    std::string origin;       // the manifest entry that asked for it: "files[2]"

    bool operator==(const LockedArtifact&) const = default;
};

struct Lock {
    int version = k_lock_version;
    std::string name;
    std::string manifest_sha256;
    std::vector<LockedArtifact> artifacts;  // sorted by bundle_path

    bool operator==(const Lock&) const = default;
};

// Stable, pretty-printed JSON (sorted keys, 2-space indent, trailing newline).
std::string to_json(const Lock& lock);
Result<Lock> parse_lock(std::string_view json, const std::filesystem::path& file);
Result<Lock> load_lock(const std::filesystem::path& file);
Status save_lock(const Lock& lock, const std::filesystem::path& file);

}  // namespace gapbundle::manifest
