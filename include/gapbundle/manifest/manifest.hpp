#pragma once

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/time.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest {

struct Mark {
    int line = 0;    // 1-based
    int column = 0;  // 1-based
};

// http:// or https:// (downloaded), as opposed to file:// and local paths.
bool is_remote_url(std::string_view url);

struct FileSpec {
    std::string url;                    // http(s)://, file://, or a path relative to the manifest
    std::optional<std::string> sha256;  // lowercase hex
    std::optional<std::string> path;    // under files/ in the bundle; default the URL's file name
    Mark mark;                          // where the entry starts
    std::string target;                 // `path`, else the URL's (or local path's) file name; checked safe

    // http:// or https:// (downloaded); anything else is a local file or folder.
    [[nodiscard]] bool is_remote() const;
};

struct Expiry {
    enum class Kind { duration, absolute };
    Kind kind = Kind::duration;
    time::Seconds value = 0;  // seconds after `created`, or a point in time
};

struct Manifest {
    std::filesystem::path file;  // as given
    std::string sha256;          // of the file's exact bytes
    std::string name;
    std::optional<std::uint64_t> serial;
    std::optional<Expiry> expires;
    std::vector<FileSpec> files;

    [[nodiscard]] std::filesystem::path dir() const;  // folder relative paths resolve against
    // The absolute, normalised local path of a file:// URL or a path (relative to dir()).
    [[nodiscard]] std::filesystem::path local_path(const FileSpec& spec) const;
    // "FILE:LINE:COL", for messages about an entry.
    [[nodiscard]] std::string location(const Mark& mark) const;
};

inline constexpr std::string_view k_api_version = "gapbundle/v1";

// Errors are ErrorCode::manifest with "FILE:LINE:COL: message".
Result<Manifest> load_manifest(const std::filesystem::path& file);
Result<Manifest> parse_manifest(std::string_view yaml, const std::filesystem::path& file);

}  // namespace gapbundle::manifest
