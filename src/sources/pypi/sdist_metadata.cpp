#include "sdist_metadata.hpp"

#include "../archive_read.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

namespace gapbundle::sources::pypi {

namespace {

constexpr std::size_t k_max_pkg_info = 8u << 20;

using detail::UniqueArchiveRead;

// "name-1.0/PKG-INFO": PKG-INFO one folder down, as sdist builders write it.
bool is_top_pkg_info(std::string_view path)
{
    const auto slash = path.find('/');
    return slash != std::string_view::npos && slash > 0 && path.substr(slash + 1) == "PKG-INFO";
}

}  // namespace

Result<CoreMetadata> read_sdist_metadata(const std::filesystem::path& file, std::string_view filename)
{
    const std::string name(filename);
    UniqueArchiveRead reader(archive_read_new());
    if (!reader) return fail(ErrorCode::internal, "libarchive: out of memory");
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_format_tar(reader.get());
    archive_read_support_format_zip(reader.get());
    if (archive_read_open_filename(reader.get(), file.c_str(), 1 << 16) != ARCHIVE_OK)
        return fail(ErrorCode::download, name + ": not a readable sdist: " + archive_error_string(reader.get()));
    archive_entry* entry = nullptr;
    while (true) {
        const int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
            return fail(ErrorCode::download, name + ": corrupt sdist: " + archive_error_string(reader.get()));
        const char* path = archive_entry_pathname(entry);
        if (!path || !is_top_pkg_info(path)) continue;
        if (archive_entry_size(entry) > static_cast<la_int64_t>(k_max_pkg_info))
            return fail(ErrorCode::download, name + ": PKG-INFO is larger than 8 MiB");
        std::string text(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
        const auto got = archive_read_data(reader.get(), text.data(), text.size());
        if (got < 0 || static_cast<std::size_t>(got) != text.size())
            return fail(ErrorCode::download, name + ": cannot read PKG-INFO: " + archive_error_string(reader.get()));
        return parse_core_metadata(text, name);
    }
    return fail(ErrorCode::download, name + ": no PKG-INFO at the top of the sdist, so its dependencies are unknown");
}

}  // namespace gapbundle::sources::pypi
