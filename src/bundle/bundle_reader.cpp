#include "bundle_reader.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::bundle::detail {

namespace {

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
    UniqueFd fd(::open(bundle.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::io, bundle.string() + ": cannot open: " + errno_text(errno));
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::io, bundle.string() + ": stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::io, bundle.string() + ": not a regular file");
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    auto source = TarSource::open(std::move(fd), bundle.string());
    if (!source) return std::unexpected(source.error());
    reader.m_source = std::move(*source);
    reader.m_archive.reset(archive_read_new());
    archive* a = reader.m_archive.get();
    if (!a) return fail(ErrorCode::internal, "archive_read_new failed");
    if (archive_read_support_format_tar(a) != ARCHIVE_OK)
        return fail(ErrorCode::internal, bundle.string() + ": " + archive_error_text(a));
    // The source is on the heap: its address stays put when the reader moves.
    if (archive_read_open(a, reader.m_source.get(), nullptr, &BundleReader::read_callback, nullptr) != ARCHIVE_OK)
        reader.m_open_failure = reader.failure("cannot read as a tar or tar.zst bundle");
    return reader;
}

la_ssize_t BundleReader::read_callback(archive* a, void* self, const void** buffer)
{
    auto chunk = static_cast<TarSource*>(self)->next();
    if (!chunk) {
        archive_set_error(a, EIO, "%s", chunk.error().message.c_str());
        return -1;
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
}

// libarchive stops at the first zero block (and takes a second one if there is one), and reads
// an archive that simply ends after an entry as complete: neither a cut-off end nor what follows
// the end would be noticed. `entries_end` is the stream offset where the last entry ended.
std::optional<ReadFailure> BundleReader::check_end(std::int64_t entries_end)
{
    const auto end = static_cast<std::uint64_t>(archive_filter_bytes(m_archive.get(), 0));
    const auto trailing = [&] {
        return ReadFailure{"trailing", m_path.string() + ": data after the end-of-archive marker (a non-zero byte at "
                                                         "offset " + std::to_string(m_source->nonzero_end() - 1) +
                                           " of the tar stream, which ends at " + std::to_string(end) + ")",
                           std::nullopt};
    };
    for (;;) {
        if (m_source->nonzero_end() > end) return trailing();
        if (m_source->delivered() - end > k_max_end_padding_bytes)
            return ReadFailure{"trailing", m_path.string() + ": more than " + std::to_string(k_max_end_padding_bytes) +
                                               " bytes after the end-of-archive marker",
                               std::nullopt};
        auto chunk = m_source->next();
        if (!chunk && m_source->volume_problem()) return header_failure();
        if (!chunk)
            return ReadFailure{looks_truncated(chunk.error().message) ? "truncated" : "format",
                               m_path.string() + ": after the end-of-archive marker: " + chunk.error().message,
                               std::nullopt};
        if (chunk->empty()) break;
    }
    if (end < static_cast<std::uint64_t>(entries_end) + 1024)
        return ReadFailure{"truncated", m_path.string() + ": ends without the end-of-archive marker (two zero blocks)",
                           std::nullopt};
    return std::nullopt;
}

std::optional<ReadFailure> BundleReader::damaged_volume()
{
    m_source->check_rest_of_volume();
    const auto& problem = m_source->volume_problem();
    if (!problem) return std::nullopt;
    return ReadFailure{problem->kind, problem->message, problem->path};
}

ReadFailure BundleReader::failure(std::string_view what) const
{
    if (const auto& problem = m_source->volume_problem()) return ReadFailure{problem->kind, problem->message, problem->path};
    const std::string text = archive_error_text(m_archive.get());
    return ReadFailure{looks_truncated(text) ? "truncated" : "format",
                       m_path.string() + ": " + std::string(what) + ": " + text, std::nullopt};
}

std::optional<ReadFailure> BundleReader::header_failure() const
{
    if (const auto& problem = m_source->volume_problem()) return ReadFailure{problem->kind, problem->message, problem->path};
    const auto& problem = m_source->header_problem();
    if (!problem) return std::nullopt;
    return ReadFailure{problem->kind, problem->message, problem->path};
}

std::expected<archive_entry*, ReadFailure> BundleReader::next()
{
    if (m_open_failure) return std::unexpected(*m_open_failure);
    if (m_at_end) return nullptr;
    // The rest of the entry and its padding, so that the offset below is where the entry ends.
    if (m_in_entry && archive_read_data_skip(m_archive.get()) != ARCHIVE_OK) {
        m_open_failure = failure("cannot read entry data");
        return std::unexpected(*m_open_failure);
    }
    const std::int64_t entries_end = archive_filter_bytes(m_archive.get(), 0);
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(m_archive.get(), &entry);
    // Refused by the second reading of the headers, which runs ahead of libarchive's.
    if ((m_open_failure = header_failure())) return std::unexpected(*m_open_failure);
    if (rc == ARCHIVE_EOF) {
        m_at_end = true;
        m_open_failure = check_end(entries_end);
        if (m_open_failure) return std::unexpected(*m_open_failure);
        return nullptr;
    }
    if (rc != ARCHIVE_OK) {
        m_open_failure = failure("cannot read the next entry header");
        return std::unexpected(*m_open_failure);
    }
    m_in_entry = true;
    m_entry_read = 0;
    return entry;
}

std::expected<std::span<const std::byte>, ReadFailure> BundleReader::read_block()
{
    for (;;) {
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        const int rc = archive_read_data_block(m_archive.get(), &block, &size, &offset);
        if (rc == ARCHIVE_EOF) return std::span<const std::byte>{};
        if (rc != ARCHIVE_OK) {
            m_open_failure = failure("cannot read entry data");
            return std::unexpected(*m_open_failure);
        }
        if (offset < 0 || static_cast<std::uint64_t>(offset) != m_entry_read)
            return std::unexpected(ReadFailure{"format", m_path.string() + ": entry data has holes (sparse)", std::nullopt});
        if (size == 0) continue;
        m_entry_read += size;
        return std::span(static_cast<const std::byte*>(block), size);
    }
}

DataResult BundleReader::read_data(const ChunkHandler& handler)
{
    DataResult result;
    for (;;) {
        auto block = read_block();
        if (!block) {
            result.failure = block.error();
            return result;
        }
        if (block->empty()) return result;
        if (auto st = handler(*block); !st) {
            result.error = st.error();
            return result;
        }
        result.bytes += block->size();
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
    if (result.error) return std::unexpected(ReadFailure{"format", m_path.string() + ": " + result.error->message, std::nullopt});
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
