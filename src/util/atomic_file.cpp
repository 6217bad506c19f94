#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/fs.hpp>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::fs {

namespace {

Error io_error(const stdfs::path& path, std::string_view what, int err)
{
    return Error{ErrorCode::io, path.string() + ": " + std::string(what) + ": " + errno_text(err)};
}

}  // namespace

Result<AtomicFile> AtomicFile::create(const stdfs::path& path, unsigned mode, Overwrite overwrite)
{
    if (overwrite == Overwrite::refuse) {
        struct stat st{};
        if (::lstat(path.c_str(), &st) == 0)
            return fail(ErrorCode::io, path.string() + ": already exists (refusing to overwrite)");
    }
    const stdfs::path dir = path.has_parent_path() ? path.parent_path() : stdfs::path(".");
    std::string templ = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
    const int fd = ::mkstemp(templ.data());
    if (fd < 0) return std::unexpected(io_error(path, "cannot create a temporary file", errno));
    AtomicFile file;
    file.m_path = path;
    file.m_temp = templ;
    file.m_fd.reset(fd);
    file.m_overwrite = overwrite;
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return std::unexpected(io_error(file.m_temp, "chmod", errno));
    return file;
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_temp(std::exchange(other.m_temp, {})),
      m_fd(std::move(other.m_fd)),
      m_overwrite(other.m_overwrite),
      m_committed(std::exchange(other.m_committed, true))
{
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept
{
    if (this != &other) {
        discard();
        m_path = std::move(other.m_path);
        m_temp = std::exchange(other.m_temp, {});
        m_fd = std::move(other.m_fd);
        m_overwrite = other.m_overwrite;
        m_committed = std::exchange(other.m_committed, true);
    }
    return *this;
}

AtomicFile::~AtomicFile()
{
    discard();
}

void AtomicFile::discard() noexcept
{
    m_fd.reset();
    if (!m_committed && !m_temp.empty()) ::unlink(m_temp.c_str());
    m_temp.clear();
}

Status AtomicFile::write(std::span<const std::byte> data)
{
    if (auto st = write_all(m_fd.get(), data); !st) return std::unexpected(st.error().context(m_temp.string()));
    return {};
}

Status AtomicFile::write(std::string_view text)
{
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

Status AtomicFile::commit(Sync sync)
{
    if (m_committed || !m_fd.valid()) return fail(ErrorCode::internal, m_path.string() + ": commit without an open file");
    if (sync == Sync::durable && ::fsync(m_fd.get()) != 0) return std::unexpected(io_error(m_temp, "fsync", errno));
    if (::close(m_fd.release()) != 0) return std::unexpected(io_error(m_temp, "close", errno));
    crash::point("atomic-file-written");
    if (m_overwrite == Overwrite::refuse) {
        // link() fails if the target appeared meanwhile, so nothing is ever replaced.
        if (::link(m_temp.c_str(), m_path.c_str()) != 0) return std::unexpected(io_error(m_path, "cannot create", errno));
        ::unlink(m_temp.c_str());
    } else if (::rename(m_temp.c_str(), m_path.c_str()) != 0) {
        return std::unexpected(io_error(m_path, "rename", errno));
    }
    m_committed = true;
    crash::point("atomic-file-renamed");
    if (sync == Sync::rename_only) return {};
    const stdfs::path dir = m_path.has_parent_path() ? m_path.parent_path() : stdfs::path(".");
    return fsync_path(dir);
}

}  // namespace gapbundle::fs
