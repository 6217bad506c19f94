#pragma once

// Where one transfer's body goes (private to the net layer).

#include "background_hasher.hpp"
#include "ranged_file.hpp"

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gapbundle::net::detail {

// A file on disk, hashed as it streams (by a BackgroundHasher, so the receiving thread only
// writes). It always holds a prefix of the resource and the hash covers exactly that prefix, so a
// later attempt can append to it after a 206. Small pieces are gathered into writes of 256 KiB;
// big ones are written as they come.
class FileSink {
public:
    FileSink(std::filesystem::path path, BackgroundHasher& hasher) : m_path(std::move(path)), m_hasher(&hasher) {}
    FileSink(FileSink&&) noexcept = default;
    FileSink& operator=(FileSink&&) noexcept = default;
    ~FileSink();

    // Creates (or truncates) the file; a no-op once open. Called at the first attempt so that
    // only started transfers hold a descriptor and a buffer.
    Status open();

    Status write(std::string_view data);
    Status restart();  // empty the file and the hash (the server sent the whole body again)
    [[nodiscard]] std::uint64_t size() const { return m_size; }
    // Writes what is buffered, waits for the hash and closes; returns the sha256 of everything written.
    Result<std::string> finish();
    // Closes and removes the file (any final failure).
    void discard() noexcept;

private:
    Status flush();
    Status write_through(std::string_view data);  // to the descriptor, unbuffered
    Error io_error(std::string_view what, int err) const;

    std::filesystem::path m_path;
    BackgroundHasher* m_hasher;
    std::shared_ptr<BackgroundHasher::File> m_hash;  // while open
    UniqueFd m_fd;
    std::vector<char> m_buffer;  // capacity: the block size; size: what waits to be written
    std::uint64_t m_size = 0;     // accepted, buffered included
    std::uint64_t m_on_disk = 0;  // written to the descriptor
};

// A small document kept in memory, refused past `cap` bytes.
class TextSink {
public:
    explicit TextSink(std::uint64_t cap) : m_cap(cap) {}

    Status write(std::string_view data);
    Status restart();
    [[nodiscard]] std::uint64_t size() const { return m_text.size(); }
    std::string take() { return std::move(m_text); }
    void discard() noexcept { m_text.clear(); }

private:
    std::uint64_t m_cap;
    std::string m_text;
};

// One byte range of a RangedFile. It never starts over: an attempt after a drop asks for the
// rest of the range, and anything but that rest is refused.
class RangeSink {
public:
    RangeSink(std::shared_ptr<RangedFile> file, std::size_t range) : m_file(std::move(file)), m_range(range) {}

    Status open() { return m_file->open(); }
    Status write(std::string_view data) { return m_file->write(m_range, data); }
    Status restart() { return fail(ErrorCode::internal, "a byte range cannot start over"); }
    [[nodiscard]] std::uint64_t size() const { return m_file->written(m_range); }
    [[nodiscard]] const ByteRange& range() const { return m_file->range(m_range); }
    [[nodiscard]] std::uint64_t file_size() const { return m_file->size(); }
    [[nodiscard]] bool complete() const { return size() == range().length; }
    void discard() noexcept { m_file->stop_after_failure(m_range); }

private:
    std::shared_ptr<RangedFile> m_file;
    std::size_t m_range;
};

using BodySink = std::variant<FileSink, TextSink, RangeSink>;

}  // namespace gapbundle::net::detail
