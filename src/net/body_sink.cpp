#include "body_sink.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <unistd.h>

namespace gapbundle::net::detail {

namespace {

constexpr std::size_t k_write_buffer = 1u << 20;

}  // namespace

Status FileSink::open()
{
    if (m_file) return {};
    m_file.reset(std::fopen(m_path.c_str(), "wb"));
    if (!m_file) return std::unexpected(io_error("cannot create", errno));
    // 1 MiB of stdio buffer instead of BUFSIZ: a multi-GB download is 1 MiB writes, not 8 KiB ones.
    if (std::setvbuf(m_file.get(), nullptr, _IOFBF, k_write_buffer) != 0)
        return std::unexpected(io_error("cannot buffer", errno));
    m_size = 0;
    return {};
}

Error FileSink::io_error(std::string_view what, int err) const
{
    return Error{ErrorCode::io, std::string(what) + " " + m_path.string() + ": " + errno_text(err)};
}

Status FileSink::write(std::string_view data)
{
    if (!m_file) return std::unexpected(io_error("cannot write", EBADF));
    if (std::fwrite(data.data(), 1, data.size(), m_file.get()) != data.size())
        return std::unexpected(io_error("cannot write", errno));
    m_sha.update(data);
    m_size += data.size();
    return {};
}

Status FileSink::restart()
{
    if (!m_file) return std::unexpected(io_error("cannot write", EBADF));
    if (std::fflush(m_file.get()) != 0 || ::ftruncate(fileno(m_file.get()), 0) != 0)
        return std::unexpected(io_error("cannot truncate", errno));
    std::rewind(m_file.get());
    m_sha.finish();  // resets the running hash
    m_size = 0;
    return {};
}

Result<std::string> FileSink::finish()
{
    if (!m_file) return std::unexpected(io_error("cannot write", EBADF));
    const bool flushed = std::fflush(m_file.get()) == 0;
    const int flush_errno = errno;
    const bool closed = std::fclose(m_file.release()) == 0;
    if (!flushed || !closed) return std::unexpected(io_error("cannot write", flushed ? errno : flush_errno));
    return m_sha.finish_hex();
}

void FileSink::discard() noexcept
{
    m_file.reset();
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
