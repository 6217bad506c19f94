#pragma once

// One file downloaded as consecutive byte ranges at once (private to the net layer).
// Each range's transfer writes at its own offset; the batch's BackgroundHasher hashes the file in
// order as the contiguous prefix grows, reading back from the page cache what arrived ahead of
// it, so the receiving thread never hashes and the file is read once, in order, while it downloads.

#include "background_hasher.hpp"

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::net::detail {

struct ByteRange {
    std::uint64_t start = 0;
    std::uint64_t length = 0;
};

// `size` cut into ranges of `chunk` bytes (the last one shorter); none for an empty file.
std::vector<ByteRange> split_into_ranges(std::uint64_t size, std::uint64_t chunk);

class RangedFile {
public:
    RangedFile(std::filesystem::path path, std::uint64_t size, std::uint64_t chunk, BackgroundHasher& hasher);
    ~RangedFile();  // a file not finished is removed
    RangedFile(const RangedFile&) = delete;
    RangedFile& operator=(const RangedFile&) = delete;

    // Creates the file at its full size; a no-op once open. Fails once any range has failed,
    // so the ranges not started yet cost no request.
    Status open();
    Status write(std::size_t range, std::string_view data);  // appends to that range
    [[nodiscard]] std::uint64_t written(std::size_t range) const;
    [[nodiscard]] const ByteRange& range(std::size_t index) const { return m_ranges[index]; }
    [[nodiscard]] std::size_t range_count() const { return m_ranges.size(); }
    [[nodiscard]] std::uint64_t size() const { return m_size; }

    // A range's transfer failed for good: the others stop at their next write. The first range
    // to fail is remembered, so its error (not its siblings') is the file's.
    void stop_after_failure(std::size_t range) noexcept;
    [[nodiscard]] std::optional<std::size_t> first_failed() const;

    // Once every range is complete: waits for the hash, closes the file, returns the sha256.
    Result<std::string> finish();
    // Stops and removes the file.
    void discard() noexcept;

private:
    [[nodiscard]] std::uint64_t contiguous_end() const;  // under m_mutex
    Error io_error(std::string_view what, int err) const;

    std::filesystem::path m_path;
    std::uint64_t m_size;
    std::vector<ByteRange> m_ranges;
    BackgroundHasher& m_hasher;
    UniqueFd m_fd;
    std::shared_ptr<BackgroundHasher::File> m_hash;  // while open

    mutable std::mutex m_mutex;
    std::vector<std::uint64_t> m_written;
    std::size_t m_first_incomplete = 0;  // ranges before it are complete
    std::optional<std::size_t> m_first_failed;
    bool m_finished = false;
};

}  // namespace gapbundle::net::detail
