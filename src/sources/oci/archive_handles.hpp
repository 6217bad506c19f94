#pragma once

// Owners for the libarchive handles of the image archive writer (private to sources/oci).

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

namespace gapbundle::sources::oci::detail {

struct ArchiveWriteDeleter {
    void operator()(archive* a) const noexcept
    {
        if (!a) return;
        // archive_write_free closes, and so writes to the fd, an archive still open; a writer
        // that got here without an explicit close failed, and its output is being thrown away
        // (the fd may already be closed). Marking it failed makes free write nothing.
        archive_write_fail(a);
        archive_write_free(a);
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
