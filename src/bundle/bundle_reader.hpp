#pragma once

// A streaming reader over one bundle file, restricted to the gapbundle profile:
// tar (ustar/pax) only, no filter or zstd only, large reads. Private to the bundle layer.

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include "archive_handles.hpp"
#include "tar_source.hpp"

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
    std::string kind;  // "truncated", "format" or "trailing"
    std::string message;
    std::optional<std::string> path;  // the entry it concerns, when known
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

    // The next header; nullptr at the end of the archive, which must be the end-of-archive marker
    // (two zero blocks) followed by nothing but the zeros that fill a tar record
    // (k_max_end_padding_bytes at most).
    std::expected<archive_entry*, ReadFailure> next();
    // Streams the current entry's data to `handler`, in the blocks libarchive holds (no copy).
    DataResult read_data(const ChunkHandler& handler);
    // The current entry's next block of data, as libarchive holds it (no copy, valid until the
    // next read); empty at the entry's end. For a reader that pulls, such as a JSON parser.
    std::expected<std::span<const std::byte>, ReadFailure> read_block();
    // Reads the current entry (at most `cap` bytes) into memory, reserving the `header_size` its
    // header gives (at most `cap`) so that a big index is not copied while it grows.
    std::expected<std::string, ReadFailure> read_small(std::uint64_t cap, std::uint64_t header_size);

    // A bundle in volumes: the payload volumes that follow the head file (see TarSource).
    void chain_volumes(std::vector<VolumeFile> volumes) { m_source->chain_volumes(std::move(volumes)); }
    // After a problem: whether the volume being read is itself damaged (its hash), which then
    // explains the problem better than the entry it showed in.
    std::optional<ReadFailure> damaged_volume();

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] archive* handle() const { return m_archive.get(); }

private:
    BundleReader() = default;
    ReadFailure failure(std::string_view what) const;
    std::optional<ReadFailure> check_end(std::int64_t entries_end);
    std::optional<ReadFailure> header_failure() const;
    static la_ssize_t read_callback(archive* a, void* self, const void** buffer);

    std::filesystem::path m_path;
    std::unique_ptr<TarSource> m_source;
    UniqueArchiveRead m_archive;
    std::optional<ReadFailure> m_open_failure;
    bool m_in_entry = false;  // a header was read (its data may be left unread)
    std::uint64_t m_entry_read = 0;  // bytes of the current entry's data read so far
    bool m_at_end = false;
};

// Zero bytes accepted after the end-of-archive marker: tar writers pad the last record (GNU tar
// and bsdtar to 10 KiB by default); anything beyond, or any non-zero byte, is refused.
inline constexpr std::uint64_t k_max_end_padding_bytes = 1 << 20;

// Strips one trailing '/' from folder names; nullopt when the name is not valid UTF-8.
std::optional<std::string> entry_path(archive_entry* entry);

}  // namespace gapbundle::bundle::detail
