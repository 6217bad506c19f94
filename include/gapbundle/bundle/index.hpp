#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::bundle {

inline constexpr int k_format_version = 1;
inline constexpr std::string_view k_index_path = "gapbundle/index.json";
inline constexpr std::string_view k_signatures_path = "gapbundle/index.json.sig";
inline constexpr std::string_view k_sums_path = "gapbundle/SHA256SUMS";
inline constexpr std::uint64_t k_max_index_bytes = 64ull << 20;

enum class EntryType { file, dir, symlink };
std::string_view to_string(EntryType type);

struct Entry {
    std::string path;         // relative, '/'-separated
    EntryType type = EntryType::file;
    std::uint64_t size = 0;   // files only
    std::string sha256;       // files only, lowercase hex
    std::uint32_t mode = 0644;  // 0644 or 0755 for files, 0755 for folders
    std::string link_target;  // symlinks only, relative and inside the tree

    bool operator==(const Entry&) const = default;
};

// The signed table of contents. Lists every payload entry and gapbundle/SHA256SUMS
// (not index.json and index.json.sig themselves), sorted by path bytewise.
struct Index {
    int format = k_format_version;
    std::string name;
    std::uint64_t serial = 0;
    std::string created;                 // RFC 3339 UTC
    std::optional<std::string> expires;  // RFC 3339 UTC
    std::string producer;                // "gapbundle 0.1.0"
    std::string manifest_sha256;
    std::string lock_sha256;
    std::vector<Entry> entries;

    bool operator==(const Index&) const = default;
};

// Canonical JSON: sorted keys, no insignificant whitespace, integers only, UTF-8.
std::string to_canonical_json(const Index& index);
// Parses and validates (format, paths, sorted and unique, field types). `origin` names the source in errors.
Result<Index> parse_index(std::string_view bytes, std::string_view origin = k_index_path);

// sha256sum-format lines ("<hex>  <path>\n") for every file entry except SHA256SUMS itself.
std::string sha256sums_text(const std::vector<Entry>& payload_entries);

}  // namespace gapbundle::bundle
