#pragma once

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/store/store.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>

namespace gapbundle::store {

// What the local files of one manifest entry hashed to, so that resolving the manifest again
// does not read files that did not change: ROOT/local/<sha256 of the entry's path>, a line per
// file, sorted by path. A record counts only while the file's device, inode, size, mtime and
// ctime all still match (any write changes ctime, which no tool sets back), and none is kept for
// a file changed in the last 2 seconds, where a coarse timestamp cannot tell two writes apart.
// pack hashes every file again as it writes the bundle and refuses one that differs from the
// lock, so a wrong record can fail a pack but never reach a bundle.
//
// A folder is walked in path order, so the records are read as a stream beside the walk and the
// new ones written beside it: a folder of 100,000 files costs no memory here. A file asked for
// out of order is hashed and not recorded.
class LocalDigests {
public:
    // A missing record file is an empty one; a damaged line ends the records.
    static Result<LocalDigests> open(const Store& store, const std::filesystem::path& entry);

    // The file's sha256 and size: from its record, or by reading it (and recording it).
    Result<crypto::FileDigest> digest(const std::filesystem::path& file);
    // The same, for a caller that has just stat()ed the file (`now`), as resolving a folder does.
    Result<crypto::FileDigest> digest(const std::filesystem::path& file, const struct ::stat& now);
    // Replaces the records with this time's (only the files asked for) when they differ.
    Status save();

    [[nodiscard]] std::size_t files_hashed() const { return m_hashed; }

private:
    struct Record {
        std::string path;
        std::array<std::uint8_t, 32> sha256{};
        std::uint64_t size = 0, dev = 0, ino = 0;
        std::int64_t mtime_ns = 0, ctime_ns = 0;
        std::string line;  // as read, without its newline: written back as it is while it holds
    };
    struct LineFree {
        void operator()(char* line) const noexcept;
    };

    LocalDigests(fs::AtomicFile out, UniqueFile in) : m_out(std::move(out)), m_in(std::move(in)) {}
    // The old record of `path`, when there is one.
    const Record* record_for(const std::string& path);
    bool read_next();  // into m_pending; false at the end or at a damaged or unsorted line
    std::optional<Record> read_record();
    Status write_record(const Record& record);

    fs::AtomicFile m_out;
    UniqueFile m_in;  // null when there were no records, or once they ran out
    std::unique_ptr<char, LineFree> m_line;
    std::size_t m_line_capacity = 0;
    std::optional<Record> m_pending;  // read from m_in, not yet asked for
    std::string m_last_read;
    std::string m_last_written;
    std::string m_buffer;  // new records on their way to m_out
    std::size_t m_hashed = 0;
    bool m_changed = false;  // a record was added, dropped or replaced
};

}  // namespace gapbundle::store
