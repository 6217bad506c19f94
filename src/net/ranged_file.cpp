#include "ranged_file.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace gapbundle::net::detail {

std::vector<ByteRange> split_into_ranges(std::uint64_t size, std::uint64_t chunk)
{
    std::vector<ByteRange> ranges;
    if (chunk == 0) chunk = size;
    for (std::uint64_t start = 0; start < size; start += chunk)
        ranges.push_back(ByteRange{start, std::min(chunk, size - start)});
    return ranges;
}

RangedFile::RangedFile(std::filesystem::path path, std::uint64_t size, std::uint64_t chunk, BackgroundHasher& hasher)
    : m_path(std::move(path)), m_size(size), m_ranges(split_into_ranges(size, chunk)), m_hasher(hasher),
      m_written(m_ranges.size(), 0)
{
}

RangedFile::~RangedFile()
{
    if (!m_finished) discard();
}

Error RangedFile::io_error(std::string_view what, int err) const
{
    return Error{ErrorCode::io, std::string(what) + " " + m_path.string() + ": " + errno_text(err)};
}

Status RangedFile::open()
{
    std::lock_guard lock(m_mutex);
    if (m_first_failed) return fail(ErrorCode::download, "stopped: another range of this file failed");
    if (m_fd.valid()) return {};
    UniqueFd fd(::open(m_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (!fd.valid()) return std::unexpected(io_error("cannot create", errno));
    // Full size at once: every range writes at its offset, and a full disk shows up here.
    if (::ftruncate(fd.get(), static_cast<off_t>(m_size)) != 0) return std::unexpected(io_error("cannot size", errno));
    m_fd = std::move(fd);
    m_hash = m_hasher.track(m_fd.get(), m_path.string());
    return {};
}

Status RangedFile::write(std::size_t range, std::string_view data)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_first_failed) return fail(ErrorCode::download, "stopped: another range of this file failed");
    }
    // Only this thread changes m_written, so reading it unlocked is safe.
    const std::uint64_t offset = m_ranges[range].start + m_written[range];
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::pwrite(m_fd.get(), data.data() + done, data.size() - done,
                                   static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::unexpected(io_error("cannot write", n < 0 ? errno : EIO));
        done += static_cast<std::size_t>(n);
    }
    std::lock_guard lock(m_mutex);
    const std::uint64_t before = contiguous_end();
    m_written[range] += data.size();
    while (m_first_incomplete < m_ranges.size() &&
           m_written[m_first_incomplete] == m_ranges[m_first_incomplete].length)
        ++m_first_incomplete;
    if (const std::uint64_t after = contiguous_end(); after != before) m_hash->written_up_to(after);
    return {};
}

std::uint64_t RangedFile::written(std::size_t range) const
{
    std::lock_guard lock(m_mutex);
    return m_written[range];
}

std::uint64_t RangedFile::contiguous_end() const
{
    if (m_first_incomplete == m_ranges.size()) return m_size;
    return m_ranges[m_first_incomplete].start + m_written[m_first_incomplete];
}

void RangedFile::stop_after_failure(std::size_t range) noexcept
{
    std::lock_guard lock(m_mutex);
    if (!m_first_failed) m_first_failed = range;
}

std::optional<std::size_t> RangedFile::first_failed() const
{
    std::lock_guard lock(m_mutex);
    return m_first_failed;
}

Result<std::string> RangedFile::finish()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_first_incomplete != m_ranges.size())
            return fail(ErrorCode::internal, m_path.string() + ": finished before every range arrived");
    }
    if (!m_hash) return fail(ErrorCode::internal, m_path.string() + ": finished before it was opened");
    auto sha = m_hash->finish(m_size);  // waits until the whole file is hashed
    if (!sha) return sha;
    m_hash.reset();
    if (::close(m_fd.release()) != 0) return std::unexpected(io_error("cannot write", errno));
    m_finished = true;
    return sha;
}

void RangedFile::discard() noexcept
{
    if (m_hash) m_hash->cancel();  // before the descriptor closes
    m_hash.reset();
    m_fd.reset();
    m_finished = false;
    std::error_code ec;
    std::filesystem::remove(m_path, ec);
}

}  // namespace gapbundle::net::detail
