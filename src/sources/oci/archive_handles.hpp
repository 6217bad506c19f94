#pragma once

// Owners for the libarchive handles of the image archive writer (private to sources/oci).

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

namespace gapbundle::sources::oci::detail {

struct ArchiveWriteDeleter {
    // archive_write_free closes an archive still open, writing its last blocks: TarWriter
    // discards them when it was not closed (archive_write_fail would skip the close, and with it
    // the freeing of libarchive's buffers).
    void operator()(archive* a) const noexcept
    {
        if (a) archive_write_free(a);
    }
};
struct ArchiveEntryDeleter {
    void operator()(archive_entry* e) const noexcept
    {
        if (e) archive_entry_free(e);
    }
};

using UniqueArchiveWrite = std::unique_ptr<archive, ArchiveWriteDeleter>;
using UniqueArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryDeleter>;

inline std::string archive_error_text(archive* a)
{
    const char* text = a ? archive_error_string(a) : nullptr;
    return text ? std::string(text) : std::string("unknown libarchive error");
}

}  // namespace gapbundle::sources::oci::detail
