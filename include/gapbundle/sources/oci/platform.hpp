#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::oci {

// An OCI platform: os / architecture / variant ("linux", "arm64", "v8"), as written (lower case).
// Aliases (x86_64, aarch64, armhf...) and default variants are resolved by normalize(), which
// matches() applies to both sides.
struct Platform {
    std::string os;
    std::string architecture;
    std::string variant;

    // "linux/amd64", "linux/arm/v7".
    [[nodiscard]] std::string to_string() const;

    friend bool operator==(const Platform&, const Platform&) = default;
};

// Parses "os/architecture[/variant]" (case-insensitive; stored lower case, aliases kept).
// Errors are ErrorCode::manifest: "invalid platform 'linux': expected os/architecture[/variant]...".
Result<Platform> parse_platform(std::string_view text);

// containerd's platforms.Normalize: macos -> darwin; x86_64, x86-64 -> amd64 (variant v1 -> "");
// aarch64 -> arm64 (v8, 8, v8.0 -> ""; 9, 9.0, v9.0 -> v9); i386 -> 386; armhf -> arm/v7;
// armel -> arm/v6; arm -> arm/v7 when no variant, "5"/"6"/"7"/"8" -> "v5".."v8".
[[nodiscard]] Platform normalize(const Platform& platform);

// Same os, architecture and variant once both are normalised.
[[nodiscard]] bool matches(const Platform& wanted, const Platform& candidate);

// The `platforms:` of a manifest image entry: every platform of the index, or a list.
enum class PlatformScope { listed, all };
struct PlatformSelection {
    PlatformScope scope = PlatformScope::listed;
    std::vector<Platform> platforms;  // empty when scope is all
};

// No items: linux/amd64. ["all"]: the whole index. Otherwise each item is parsed; "all" must
// stand alone.
Result<PlatformSelection> parse_platform_list(const std::vector<std::string>& items);

// One descriptor of an image index (OCI) or manifest list (Docker).
struct IndexEntry {
    std::string media_type;
    std::string digest;
    std::uint64_t size = 0;
    std::optional<Platform> platform;      // absent when the descriptor has none
    std::string os_version;                // platform "os.version" (Windows images)
    std::vector<std::string> os_features;  // platform "os.features"
    std::map<std::string, std::string> annotations;

    // A BuildKit attestation manifest (annotation vnd.docker.reference.type=attestation-manifest,
    // or platform unknown/unknown): not an image anyone runs.
    [[nodiscard]] bool is_attestation() const;

    friend bool operator==(const IndexEntry&, const IndexEntry&) = default;
};

// Every descriptor of an image index / manifest list, in order. Rejects (ErrorCode::download)
// JSON that is not an index, and descriptors without a valid mediaType, digest or size.
Result<std::vector<IndexEntry>> parse_index(std::string_view index_json);

// The entries of the index for the wanted platforms, in the wanted order (an entry wanted twice is
// listed once); attestation manifests are never selected. A wanted platform the index lacks is an
// ErrorCode::manifest error naming image_name and the platforms that are there:
// "no linux/s390x image in docker.io/library/python:3.11-slim (available: linux/amd64, linux/arm64/v8)".
Result<std::vector<IndexEntry>> select_platforms(std::string_view index_json, const std::vector<Platform>& wanted,
                                                 std::string_view image_name);

// A new image index listing exactly `entries`, compact JSON with keys in a fixed order
// (schemaVersion, mediaType, manifests; per descriptor mediaType, digest, size, platform
// {architecture, os, os.version, os.features, variant}, annotations sorted by key), so the same
// input always gives the same bytes. media_type is the index's own type (OCI index or Docker list).
std::string make_index(const std::vector<IndexEntry>& entries, std::string_view media_type);

}  // namespace gapbundle::sources::oci
