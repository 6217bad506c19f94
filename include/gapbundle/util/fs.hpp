#pragma once

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace gapbundle::fs {

namespace stdfs = std::filesystem;

// Writes to a temporary file beside `path`; commit() fsyncs, renames over `path`
// and fsyncs the folder. Never commits in its destructor: an uncommitted file is removed.
class AtomicFile {
public:
    enum class Overwrite { allow, refuse };
    // durable: fsync the file and its folder. rename_only: the file appears whole or not at all
    // after an error or an interrupt, but a power cut may tear it (for outputs checked on use).
    enum class Sync { durable, rename_only };

    static Result<AtomicFile> create(const stdfs::path& path, unsigned mode = 0644,
                                     Overwrite overwrite = Overwrite::allow);
    AtomicFile(AtomicFile&&) noexcept;
    AtomicFile& operator=(AtomicFile&&) noexcept;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    Status write(std::span<const std::byte> data);
    Status write(std::string_view text);
    Status commit(Sync sync = Sync::durable);
    [[nodiscard]] int fd() const { return m_fd.get(); }
    [[nodiscard]] const stdfs::path& temp_path() const { return m_temp; }
    [[nodiscard]] const stdfs::path& path() const { return m_path; }

private:
    AtomicFile() = default;
    void discard() noexcept;

    stdfs::path m_path;
    stdfs::path m_temp;
    UniqueFd m_fd;
    Overwrite m_overwrite = Overwrite::allow;
    bool m_committed = false;
};

// A folder made with mkdtemp, removed with its content on destruction unless released.
class TempDir {
public:
    static Result<TempDir> create(const stdfs::path& parent, std::string_view prefix);
    TempDir(TempDir&&) noexcept;
    TempDir& operator=(TempDir&&) noexcept;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();

    [[nodiscard]] const stdfs::path& path() const { return m_path; }
    stdfs::path release() { return std::exchange(m_path, {}); }

private:
    TempDir() = default;
    stdfs::path m_path;
};

Status fsync_path(const stdfs::path& path);  // a file or a folder
Status write_file_atomic(const stdfs::path& path, std::string_view content, unsigned mode = 0644,
                         AtomicFile::Sync sync = AtomicFile::Sync::durable);
// A file opened to read, never a folder, and its size then; errors name the path (io).
struct FileToRead {
    UniqueFd fd;
    std::uint64_t size = 0;
};
Result<FileToRead> open_to_read(const stdfs::path& path);
Result<std::string> read_small_file(const stdfs::path& path, std::uint64_t max_bytes);
// The file in pieces of up to 64 KiB, in order; the same errors as read_small_file.
Status read_in_pieces(const stdfs::path& path, std::uint64_t max_bytes, const std::function<void(std::string_view)>& piece);
Status create_directories(const stdfs::path& path);

// Reads an fd until `data` is full or EOF; returns bytes read.
Result<std::size_t> read_some(int fd, std::span<std::byte> data);
Status write_all(int fd, std::span<const std::byte> data);

// A path inside a bundle or below an unpack root: relative, '/'-separated, UTF-8,
// no empty, '.' or '..' component, no NUL, backslash or colon, each component at most
// 255 bytes, at most 4096 bytes and 64 levels deep. Returns a reason on failure.
Status check_relative_path(std::string_view path);

}  // namespace gapbundle::fs
