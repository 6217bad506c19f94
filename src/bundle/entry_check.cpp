#include "entry_check.hpp"

#include <gapbundle/util/fs.hpp>

namespace gapbundle::bundle::detail {

namespace {

std::string_view type_name(unsigned type)
{
    switch (type) {
    case AE_IFREG: return "file";
    case AE_IFDIR: return "folder";
    case AE_IFLNK: return "symlink";
    case AE_IFCHR: return "character device";
    case AE_IFBLK: return "block device";
    case AE_IFIFO: return "fifo";
    case AE_IFSOCK: return "socket";
    default: return "unknown type";
    }
}

unsigned header_type(EntryType type)
{
    switch (type) {
    case EntryType::file: return AE_IFREG;
    case EntryType::dir: return AE_IFDIR;
    case EntryType::symlink: return AE_IFLNK;
    }
    return 0;
}

Problem problem(const std::string& path, std::string kind, std::string message)
{
    return Problem{path, std::move(kind), path + ": " + message};
}

}  // namespace

std::optional<Problem> check_profile(archive* a, archive_entry* header, const std::string& path)
{
    if (auto st = fs::check_relative_path(path); !st) return problem(path, "unsafe_path", st.error().message);
    const int format = archive_format(a);
    if (format != ARCHIVE_FORMAT_TAR_USTAR && format != ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE)
        return problem(path, "format", "header is not ustar or pax (" + std::string(archive_format_name(a)) + ")");
    if (const char* target = archive_entry_hardlink(header))
        return problem(path, "unsafe_path", "hardlink to '" + std::string(target) + "' is not allowed");
    const unsigned type = archive_entry_filetype(header);
    if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
        return problem(path, "type", std::string(type_name(type)) + " entries are not allowed");
    if (archive_entry_sparse_count(header) > 0) return problem(path, "type", "sparse entries are not allowed");
    if (!archive_entry_size_is_set(header) || archive_entry_size(header) < 0)
        return problem(path, "format", "header has no valid size");
    if (type == AE_IFLNK) {
        const char* target = archive_entry_symlink_utf8(header);
        if (!target) return problem(path, "unsafe_path", "symlink target is not valid UTF-8");
        if (auto st = check_symlink_target(path, target); !st) return problem(path, "unsafe_path", st.error().message);
    }
    return std::nullopt;
}

std::optional<Problem> check_against_index(archive_entry* header, const Entry& expected)
{
    const std::string& path = expected.path;
    const unsigned type = archive_entry_filetype(header);
    if (type != header_type(expected.type))
        return problem(path, "type", "is a " + std::string(type_name(type)) + " in the archive, a " +
                                         std::string(to_string(expected.type)) + " in the index");
    const auto size = static_cast<std::uint64_t>(archive_entry_size(header));
    const std::uint64_t want = expected.type == EntryType::file ? expected.size : 0;
    if (size != want)
        return problem(path, "size", "header says " + std::to_string(size) + " bytes, the index " + std::to_string(want));
    if (expected.type == EntryType::symlink) {
        const std::string target = archive_entry_symlink_utf8(header);
        if (target != expected.link_target)
            return problem(path, "type", "symlink target '" + target + "' differs from the index ('" +
                                             expected.link_target + "')");
        return std::nullopt;
    }
    const auto mode = static_cast<std::uint32_t>(archive_entry_mode(header) & 07777);
    if (mode != expected.mode) {
        char text[32];
        std::snprintf(text, sizeof text, "mode %04o, the index %04o", mode, expected.mode);
        return problem(path, "mode", text);
    }
    return std::nullopt;
}

}  // namespace gapbundle::bundle::detail
