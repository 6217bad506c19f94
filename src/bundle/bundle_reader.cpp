#include "bundle_reader.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::bundle::detail {

namespace {

inline constexpr std::size_t k_read_block_bytes = 1 << 20;

bool looks_truncated(std::string_view text)
{
    for (std::string_view word : {"runcated", "remature end", "nexpected end", "nexpected EOF"})
        if (text.find(word) != std::string_view::npos) return true;
    return false;
}

}  // namespace

Result<BundleReader> BundleReader::open(const std::filesystem::path& bundle)
{
    BundleReader reader;
    reader.m_path = bundle;
    reader.m_fd.reset(::open(bundle.c_str(), O_RDONLY | O_CLOEXEC));
    if (!reader.m_fd.valid()) return fail(ErrorCode::io, bundle.string() + ": cannot open: " + errno_text(errno));
    struct stat st{};
    if (::fstat(reader.m_fd.get(), &st) != 0) return fail(ErrorCode::io, bundle.string() + ": stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::io, bundle.string() + ": not a regular file");
    ::posix_fadvise(reader.m_fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    reader.m_archive.reset(archive_read_new());
    archive* a = reader.m_archive.get();
    if (!a) return fail(ErrorCode::internal, "archive_read_new failed");
    if (archive_read_support_format_tar(a) != ARCHIVE_OK || archive_read_support_filter_zstd(a) != ARCHIVE_OK)
        return fail(ErrorCode::internal, bundle.string() + ": " + archive_error_text(a));
    if (archive_read_open_fd(a, reader.m_fd.get(), k_read_block_bytes) != ARCHIVE_OK)
        reader.m_open_failure = reader.failure("cannot read as a tar or tar.zst bundle");
    return reader;
}

ReadFailure BundleReader::failure(std::string_view what) const
{
    const std::string text = archive_error_text(m_archive.get());
    return ReadFailure{looks_truncated(text) ? "truncated" : "format",
                       m_path.string() + ": " + std::string(what) + ": " + text};
}

std::expected<archive_entry*, ReadFailure> BundleReader::next()
{
    if (m_open_failure) return std::unexpected(*m_open_failure);
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(m_archive.get(), &entry);
    if (rc == ARCHIVE_EOF) return nullptr;
    if (rc != ARCHIVE_OK) {
        m_open_failure = failure("cannot read the next entry header");
        return std::unexpected(*m_open_failure);
    }
    return entry;
}

DataResult BundleReader::read_data(const ChunkHandler& handler)
{
    DataResult result;
    for (;;) {
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        const int rc = archive_read_data_block(m_archive.get(), &block, &size, &offset);
        if (rc == ARCHIVE_EOF) return result;
        if (rc != ARCHIVE_OK) {
            result.failure = failure("cannot read entry data");
            m_open_failure = result.failure;
            return result;
        }
        if (offset < 0 || static_cast<std::uint64_t>(offset) != result.bytes) {
            result.failure = ReadFailure{"format", m_path.string() + ": entry data has holes (sparse)"};
            return result;
        }
        if (size == 0) continue;
        if (auto st = handler(std::span(static_cast<const std::byte*>(block), size)); !st) {
            result.error = st.error();
            return result;
        }
        result.bytes += size;
    }
}

std::expected<std::string, ReadFailure> BundleReader::read_small(std::uint64_t cap, std::uint64_t header_size)
{
    std::string content;
    content.reserve(static_cast<std::size_t>(std::min(cap, header_size)));
    auto result = read_data([&](std::span<const std::byte> chunk) -> Status {
        if (content.size() + chunk.size() > cap)
            return fail(ErrorCode::verification, "larger than " + std::to_string(cap) + " bytes");
        content.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
        return {};
    });
    if (result.failure) return std::unexpected(*result.failure);
    if (result.error) return std::unexpected(ReadFailure{"format", m_path.string() + ": " + result.error->message});
    return content;
}

std::optional<std::string> entry_path(archive_entry* entry)
{
    const char* name = archive_entry_pathname_utf8(entry);
    if (!name) return std::nullopt;
    std::string path(name);
    if (archive_entry_filetype(entry) == AE_IFDIR && path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
}

}  // namespace gapbundle::bundle::detail
