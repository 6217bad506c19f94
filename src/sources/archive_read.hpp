#pragma once

// An owner for libarchive's read handle (private to the sources layer).

#include <archive.h>

#include <memory>
#include <string>

namespace gapbundle::sources::detail {

struct ArchiveReadDeleter {
    void operator()(archive* a) const noexcept
    {
        if (a) archive_read_free(a);
    }
};
using UniqueArchiveRead = std::unique_ptr<archive, ArchiveReadDeleter>;

inline std::string archive_read_error(archive* a)
{
    const char* text = a ? archive_error_string(a) : nullptr;
    return text ? std::string(text) : std::string("unknown libarchive error");
}

}  // namespace gapbundle::sources::detail
