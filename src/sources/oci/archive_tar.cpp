#include "archive_tar.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/interrupt.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <vector>

namespace gapbundle::sources::oci::detail {

namespace {

constexpr std::size_t k_copy_buffer = std::size_t{1} << 20;

}  // namespace

la_ssize_t TarWriter::write_blocks(archive* a, void* output, const void* buffer, size_t length)
{
    auto* out = static_cast<Output*>(output);
    if (out->discard) return static_cast<la_ssize_t>(length);
    if (auto st = fs::write_all(out->fd, std::span(static_cast<const std::byte*>(buffer), length)); !st) {
        archive_set_error(a, EIO, "%s", st.error().message.c_str());
        return -1;
    }
    return static_cast<la_ssize_t>(length);
}

Result<TarWriter> TarWriter::open(int fd, std::string what)
{
    auto output = std::make_unique<Output>(Output{fd, false});
    UniqueArchiveWrite handle(archive_write_new());
    if (!handle) return fail(ErrorCode::internal, "archive_write_new failed");
    // pax_restricted writes plain ustar headers and adds a pax record only where ustar cannot say
    // it (a blob of 8 GiB or more). The last block is not padded, as archive_write_open_fd does
    // for a regular file.
    if (archive_write_set_format_pax_restricted(handle.get()) != ARCHIVE_OK ||
        archive_write_add_filter_none(handle.get()) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(handle.get(), 1) != ARCHIVE_OK ||
        archive_write_open2(handle.get(), output.get(), nullptr, &TarWriter::write_blocks, nullptr, nullptr) != ARCHIVE_OK)
        return fail(ErrorCode::io, what + ": " + archive_error_text(handle.get()));
    return TarWriter(std::move(output), std::move(handle), std::move(what));
}

TarWriter::~TarWriter()
{
    if (m_output && !m_closed) m_output->discard = true;
}

Error TarWriter::failure(std::string_view doing) const
{
    return Error{ErrorCode::io, m_what + ": " + std::string(doing) + ": " + archive_error_text(m_archive.get())};
}

Status TarWriter::write_header(std::string_view name, unsigned type, unsigned perm, std::uint64_t size)
{
    UniqueArchiveEntry entry(archive_entry_new());
    if (!entry) return fail(ErrorCode::internal, "archive_entry_new failed");
    const std::string path(name);
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), static_cast<mode_t>(perm));
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    archive_entry_set_mtime(entry.get(), 0, 0);
    if (archive_write_header(m_archive.get(), entry.get()) != ARCHIVE_OK)
        return std::unexpected(failure("writing the header of " + path));
    return {};
}

Status TarWriter::write_data(const void* data, std::size_t size)
{
    if (size == 0) return {};
    const la_ssize_t written = archive_write_data(m_archive.get(), data, size);
    if (written < 0 || static_cast<std::size_t>(written) != size) return std::unexpected(failure("writing"));
    return {};
}

Status TarWriter::add_directory(std::string_view name)
{
    return write_header(name, AE_IFDIR, 0755, 0);
}

Status TarWriter::add_file(std::string_view name, std::string_view content)
{
    if (auto st = write_header(name, AE_IFREG, 0644, content.size()); !st) return st;
    return write_data(content.data(), content.size());
}

Status TarWriter::add_blob(std::string_view name, const std::filesystem::path& source, std::uint64_t size,
                           std::string_view sha256_hex)
{
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        const int err = errno;
        if (err == ENOENT) return fail(ErrorCode::verification, source.string() + ": blob is missing");
        return fail(ErrorCode::io, source.string() + ": cannot open: " + errno_text(err));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::io, source.string() + ": stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::verification, source.string() + ": not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) != size)
        return fail(ErrorCode::verification, source.string() + ": " + std::to_string(st.st_size) +
                                                 " bytes, but its descriptor says " + std::to_string(size));

    if (auto header = write_header(name, AE_IFREG, 0644, size); !header) return header;
    crypto::Sha256 hasher;
    std::vector<std::byte> buffer(k_copy_buffer);
    std::uint64_t copied = 0;
    while (copied < size) {
        if (auto st_stop = interrupt::check(); !st_stop) return st_stop;
        auto n = fs::read_some(fd.get(), buffer);
        if (!n) return std::unexpected(n.error().context(source.string()));
        if (*n == 0) break;
        const std::span<const std::byte> chunk(buffer.data(), *n);
        copied += *n;
        if (copied > size) break;
        hasher.update(chunk);
        if (auto st_write = write_data(chunk.data(), chunk.size()); !st_write) return st_write;
    }
    if (copied != size)
        return fail(ErrorCode::verification, source.string() + ": changed size while being read (" +
                                                 std::to_string(copied) + " bytes, expected " + std::to_string(size) +
                                                 ")");
    const std::string actual = hasher.finish_hex();
    if (actual != sha256_hex)
        return fail(ErrorCode::verification,
                    source.string() + ": content does not match its digest (sha256:" + actual + ")");
    return {};
}

Status TarWriter::close()
{
    m_closed = true;
    if (archive_write_close(m_archive.get()) != ARCHIVE_OK) return std::unexpected(failure("closing"));
    return {};
}

}  // namespace gapbundle::sources::oci::detail
