#pragma once

// A streaming reader over one bundle file, restricted to the gapbundle profile:
// tar (ustar/pax) only, no filter or zstd only, large reads. Private to the bundle layer.

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include "archive_handles.hpp"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace gapbundle::bundle::detail {

// Something wrong with the archive itself (a Problem, not an Error).
struct ReadFailure {
    std::string kind;  // "truncated" or "format"
    std::string message;
};

using ChunkHandler = std::function<Status(std::span<const std::byte>)>;

struct DataResult {
    std::uint64_t bytes = 0;
    std::optional<ReadFailure> failure;  // the archive is damaged
    std::optional<Error> error;          // the handler failed (local I/O, interrupted)
};

class BundleReader {
public:
    static Result<BundleReader> open(const std::filesystem::path& bundle);

    // The next header; nullptr at the end of the archive.
    std::expected<archive_entry*, ReadFailure> next();
    // Streams the current entry's data to `handler`, in the blocks libarchive holds (no copy).
    DataResult read_data(const ChunkHandler& handler);
    // Reads the current entry (at most `cap` bytes) into memory, reserving the `header_size` its
    // header gives (at most `cap`) so that a big index is not copied while it grows.
    std::expected<std::string, ReadFailure> read_small(std::uint64_t cap, std::uint64_t header_size);

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] archive* handle() const { return m_archive.get(); }

private:
    BundleReader() = default;
    ReadFailure failure(std::string_view what) const;

    std::filesystem::path m_path;
    UniqueFd m_fd;
    UniqueArchiveRead m_archive;
    std::optional<ReadFailure> m_open_failure;
};

// Strips one trailing '/' from folder names; nullopt when the name is not valid UTF-8.
std::optional<std::string> entry_path(archive_entry* entry);

}  // namespace gapbundle::bundle::detail
