#include "ranged_file.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace gapbundle::net::detail {

namespace {

// The hashing thread wakes for this much new data (or the end of the file), and reads it back
// in blocks of this size.
constexpr std::uint64_t k_hash_block = 1u << 20;

}  // namespace

std::vector<ByteRange> split_into_ranges(std::uint64_t size, std::uint64_t chunk)
{
    std::vector<ByteRange> ranges;
    if (chunk == 0) chunk = size;
    for (std::uint64_t start = 0; start < size; start += chunk)
        ranges.push_back(ByteRange{start, std::min(chunk, size - start)});
    return ranges;
}

RangedFile::RangedFile(std::filesystem::path path, std::uint64_t size, std::uint64_t chunk)
    : m_path(std::move(path)), m_size(size), m_ranges(split_into_ranges(size, chunk)),
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
    try {
        m_hasher = std::thread([this] { hash_in_order(); });
    } catch (const std::system_error& e) {
        return fail(ErrorCode::internal, "cannot start a hashing thread: " + std::string(e.what()));
    }
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
    const std::uint64_t after = contiguous_end();
    if (after / k_hash_block != before / k_hash_block || after == m_size) m_changed.notify_one();
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

void RangedFile::hash_in_order()
{
    std::vector<char> block(k_hash_block);
    while (m_hashed < m_size) {
        std::uint64_t end = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] {
                const std::uint64_t available = contiguous_end();
                return m_stopping || available - m_hashed >= k_hash_block || available == m_size;
            });
            if (m_stopping) return;
            end = contiguous_end();
        }
        while (m_hashed < end) {
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), end - m_hashed));
            const ssize_t n = ::pread(m_fd.get(), block.data(), want, static_cast<off_t>(m_hashed));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                std::lock_guard lock(m_mutex);
                m_hash_error = io_error("cannot read back", n < 0 ? errno : EIO);
                return;
            }
            m_sha.update(std::string_view(block.data(), static_cast<std::size_t>(n)));
            m_hashed += static_cast<std::uint64_t>(n);
        }
    }
    // Every range is written and hashed: the descriptor goes now, not when the batch ends,
    // so a batch of many big files holds few descriptors.
    if (::close(m_fd.release()) != 0) {
        const int err = errno;
        std::lock_guard lock(m_mutex);
        m_hash_error = io_error("cannot write", err);
    }
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
    if (m_hasher.joinable()) m_hasher.join();  // returns once the whole file is hashed
    if (m_hash_error) return std::unexpected(*m_hash_error);
    if (m_hashed != m_size) return fail(ErrorCode::internal, m_path.string() + ": hashed only part of the file");
    m_finished = true;
    return m_sha.finish_hex();
}

void RangedFile::stop_hashing() noexcept
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_hasher.joinable()) m_hasher.join();
}

void RangedFile::discard() noexcept
{
    stop_hashing();
    m_fd.reset();
    m_finished = false;
    std::error_code ec;
    std::filesystem::remove(m_path, ec);
}

}  // namespace gapbundle::net::detail
