#pragma once

// Owners for libarchive handles (private to the bundle layer).

#include <archive.h>
#include <archive_entry.h>

#include <locale.h>

#include <memory>
#include <string>

namespace gapbundle::bundle::detail {

struct ArchiveReadDeleter {
    void operator()(archive* a) const noexcept { if (a) archive_read_free(a); }
};
struct ArchiveWriteDeleter {
    void operator()(archive* a) const noexcept { if (a) archive_write_free(a); }
};
struct ArchiveEntryDeleter {
    void operator()(archive_entry* e) const noexcept { if (e) archive_entry_free(e); }
};

using UniqueArchiveRead = std::unique_ptr<archive, ArchiveReadDeleter>;
using UniqueArchiveWrite = std::unique_ptr<archive, ArchiveWriteDeleter>;
using UniqueArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryDeleter>;

inline std::string archive_error_text(archive* a)
{
    const char* text = a ? archive_error_string(a) : nullptr;
    return text ? std::string(text) : std::string("unknown libarchive error");
}

// libarchive converts names between UTF-8 and the current locale's charset; in the C locale a
// non-ASCII name cannot be converted (and 3.6.2's pax writer then crashes). Bundle names are
// UTF-8, so every libarchive call runs under a thread-local C.UTF-8 locale (uselocale: the
// process locale is not changed).
class ScopedUtf8Locale {
public:
    ScopedUtf8Locale()
    {
        static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
        if (utf8) m_previous = uselocale(utf8);
    }
    ~ScopedUtf8Locale()
    {
        if (m_previous) uselocale(m_previous);
    }
    ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
    ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

private:
    locale_t m_previous = nullptr;
};

}  // namespace gapbundle::bundle::detail
