#include "body_sink.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace gapbundle::net::detail {

namespace {

constexpr std::size_t k_write_block = 256u << 10;
constexpr std::size_t k_direct_write = 64u << 10;

}  // namespace

FileSink::~FileSink()
{
    if (m_hash) m_hash->cancel();  // before the descriptor closes
}

Status FileSink::open()
{
    if (m_fd.valid()) return {};
    m_fd.reset(::open(m_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!m_fd.valid()) return std::unexpected(io_error("cannot create", errno));
    m_hash = m_hasher->track(m_fd.get(), m_path.string());
    m_buffer.reserve(k_write_block);
    m_buffer.clear();
    m_size = m_on_disk = 0;
    return {};
}

Error FileSink::io_error(std::string_view what, int err) const
{
    return Error{ErrorCode::io, std::string(what) + " " + m_path.string() + ": " + errno_text(err)};
}

Status FileSink::write(std::string_view data)
{
    if (!m_fd.valid()) return std::unexpected(io_error("cannot write", EBADF));
    m_size += data.size();
    // A big piece (curl hands over up to 256 KiB) goes out as it is, without a copy.
    if (m_buffer.empty() && data.size() >= k_direct_write) return write_through(data);
    while (!data.empty()) {
        const std::size_t room = k_write_block - m_buffer.size();
        const std::size_t n = std::min(room, data.size());
        m_buffer.insert(m_buffer.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
        data.remove_prefix(n);
        if (m_buffer.size() == k_write_block)
            if (auto ok = flush(); !ok) return ok;
    }
    return {};
}

Status FileSink::flush()
{
    if (m_buffer.empty()) return {};
    auto ok = write_through(std::string_view(m_buffer.data(), m_buffer.size()));
    m_buffer.clear();
    return ok;
}

Status FileSink::write_through(std::string_view data)
{
    for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = ::write(m_fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::unexpected(io_error("cannot write", n < 0 ? errno : EIO));
        done += static_cast<std::size_t>(n);
    }
    m_on_disk += data.size();
    m_hash->written_up_to(m_on_disk);
    return {};
}

Status FileSink::restart()
{
    if (!m_fd.valid()) return std::unexpected(io_error("cannot write", EBADF));
    m_buffer.clear();
    m_hash->restart();
    if (::ftruncate(m_fd.get(), 0) != 0 || ::lseek(m_fd.get(), 0, SEEK_SET) != 0)
        return std::unexpected(io_error("cannot truncate", errno));
    m_size = m_on_disk = 0;
    return {};
}

Result<std::string> FileSink::finish()
{
    if (!m_fd.valid()) return std::unexpected(io_error("cannot write", EBADF));
    if (auto ok = flush(); !ok) return std::unexpected(ok.error());
    std::vector<char>().swap(m_buffer);  // its memory, not just its content
    auto sha = m_hash->finish(m_on_disk);
    m_hash.reset();
    if (::close(m_fd.release()) != 0) return std::unexpected(io_error("cannot write", errno));
    return sha;
}

void FileSink::discard() noexcept
{
    if (m_hash) m_hash->cancel();
    m_hash.reset();
    m_fd.reset();
    std::vector<char>().swap(m_buffer);  // its memory, not just its content
    std::error_code ec;
    std::filesystem::remove(m_path, ec);
}

Status TextSink::write(std::string_view data)
{
    if (m_text.size() + data.size() > m_cap)
        return fail(ErrorCode::network, "response larger than " + std::to_string(m_cap) + " bytes");
    m_text.append(data);
    return {};
}

Status TextSink::restart()
{
    m_text.clear();
    return {};
}

}  // namespace gapbundle::net::detail
