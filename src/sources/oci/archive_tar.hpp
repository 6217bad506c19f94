#pragma once

// A deterministic tar writer for image archives: pax (ustar headers unless a size needs more),
// uid/gid 0, no owner names, mtime 0, entries in the order written.

#include "archive_handles.hpp"

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace gapbundle::sources::oci::detail {

class TarWriter {
public:
    // Writes to `fd`, which the caller owns and keeps open until close() or destruction.
    static Result<TarWriter> open(int fd, std::string what);
    TarWriter(TarWriter&&) noexcept = default;
    TarWriter& operator=(TarWriter&&) noexcept = default;
    // Without close(), the archive is dropped: libarchive's final blocks are discarded, not
    // written to an output that failed (its fd may be closed), and its buffers freed.
    ~TarWriter();

    Status add_directory(std::string_view name);
    Status add_file(std::string_view name, std::string_view content);
    // Streams `source` into the entry, checking its size and sha256 (64 hex digits) on the way.
    Status add_blob(std::string_view name, const std::filesystem::path& source, std::uint64_t size,
                    std::string_view sha256_hex);
    // Writes the end-of-archive blocks. Without it, the destructor writes nothing more.
    Status close();

private:
    // Where libarchive's blocks go: the caller's fd, or nowhere once the archive is dropped.
    struct Output {
        int fd = -1;
        bool discard = false;
    };
    static la_ssize_t write_blocks(archive* a, void* output, const void* buffer, size_t length);

    TarWriter(std::unique_ptr<Output> output, UniqueArchiveWrite handle, std::string what)
        : m_output(std::move(output)), m_archive(std::move(handle)), m_what(std::move(what))
    {
    }
    Status write_header(std::string_view name, unsigned type, unsigned perm, std::uint64_t size);
    Status write_data(const void* data, std::size_t size);
    [[nodiscard]] Error failure(std::string_view doing) const;

    std::unique_ptr<Output> m_output;  // before m_archive: outlives it
    UniqueArchiveWrite m_archive;
    std::string m_what;  // the output, for messages
    bool m_closed = false;
};

}  // namespace gapbundle::sources::oci::detail
