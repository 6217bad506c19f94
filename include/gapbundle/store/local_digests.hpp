#pragma once

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/store/store.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace gapbundle::store {

// What the local files of one manifest entry hashed to, so that resolving the manifest again
// does not read files that did not change: ROOT/local/<sha256 of the entry's path>, a line per
// file. A record counts only while the file's device, inode, size, mtime and ctime all still
// match (any write changes ctime, which no tool sets back), and none is kept for a file changed
// in the last 2 seconds, where a coarse timestamp cannot tell two writes apart. pack hashes every
// file again as it writes the bundle and refuses one that differs from the lock, so a wrong
// record can fail a pack but never reach a bundle.
class LocalDigests {
public:
    // A missing or damaged record file is an empty cache.
    static LocalDigests load(const Store& store, const std::filesystem::path& entry);

    // The file's sha256 and size: from its record, or by reading it (and recording it).
    Result<crypto::FileDigest> digest(const std::filesystem::path& file);
    // Writes the records back when a file was hashed (only the files asked for this time).
    Status save() const;

    [[nodiscard]] std::size_t files_hashed() const { return m_hashed; }

private:
    struct Record {
        std::string sha256;
        std::uint64_t size = 0, dev = 0, ino = 0;
        std::int64_t mtime_ns = 0, ctime_ns = 0;
        bool seen = false;  // asked for this time: only these are written back
    };
    LocalDigests(std::filesystem::path path, std::map<std::string, Record> known)
        : m_path(std::move(path)), m_known(std::move(known)) {}

    std::filesystem::path m_path;
    std::map<std::string, Record> m_known;  // read from the file, then this time's new digests
    std::size_t m_hashed = 0;
    std::size_t m_seen = 0;
};

}  // namespace gapbundle::store
