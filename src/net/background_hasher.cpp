#include "background_hasher.hpp"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace gapbundle::net::detail {

namespace {

constexpr std::size_t k_block = 1u << 20;
constexpr std::uint64_t k_turn = 4u << 20;  // then the next file gets its turn

}  // namespace

BackgroundHasher::BackgroundHasher() : m_thread([this] { run(); }) {}

BackgroundHasher::~BackgroundHasher()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_ready_changed.notify_all();
    m_thread.join();
}

std::shared_ptr<BackgroundHasher::File> BackgroundHasher::track(int fd, std::string name)
{
    return std::make_shared<File>(*this, fd, std::move(name));
}

void BackgroundHasher::enqueue(std::shared_ptr<File> file)
{
    {
        std::lock_guard lock(m_mutex);
        m_ready.push_back(std::move(file));
    }
    m_ready_changed.notify_one();
}

void BackgroundHasher::run()
{
    std::vector<char> block(k_block);
    for (;;) {
        std::shared_ptr<File> file;
        {
            std::unique_lock lock(m_mutex);
            m_ready_changed.wait(lock, [&] { return m_stopping || !m_ready.empty(); });
            if (m_stopping) return;
            file = std::move(m_ready.front());
            m_ready.pop_front();
        }
        file->hash_some(block);
    }
}

void BackgroundHasher::File::written_up_to(std::uint64_t size)
{
    std::lock_guard lock(m_mutex);
    m_written = size;
    if (m_queued || m_cancelled || m_hashed >= m_written) return;
    m_queued = true;
    m_owner.enqueue(shared_from_this());
}

void BackgroundHasher::File::hash_some(std::vector<char>& block)
{
    std::unique_lock lock(m_mutex);
    m_queued = false;
    std::uint64_t turn = 0;
    while (!m_cancelled && !m_error && m_hashed < m_written && turn < k_turn) {
        const std::uint64_t offset = m_hashed;
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), m_written - offset));
        // Read and hash unlocked: the receiving thread reports new bytes many times a
        // millisecond and must not wait for a block's hash. cancel() and restart() wait for
        // m_reading instead.
        m_reading = true;
        lock.unlock();
        const ssize_t n = ::pread(m_fd, block.data(), want, static_cast<off_t>(offset));
        const int err = errno;
        if (n > 0) m_sha.update(std::string_view(block.data(), static_cast<std::size_t>(n)));
        lock.lock();
        m_reading = false;
        m_hashed_changed.notify_all();
        if (n < 0 && err == EINTR) continue;
        if (n <= 0) {
            m_error = Error{ErrorCode::io, "cannot read back " + m_name + ": " + errno_text(n < 0 ? err : EIO)};
            break;
        }
        m_hashed += static_cast<std::uint64_t>(n);
        turn += static_cast<std::uint64_t>(n);
    }
    if (!m_cancelled && !m_error && m_hashed < m_written) {
        m_queued = true;
        m_owner.enqueue(shared_from_this());
    }
    lock.unlock();
    m_hashed_changed.notify_all();
}

void BackgroundHasher::File::restart()
{
    std::unique_lock lock(m_mutex);
    m_hashed_changed.wait(lock, [&] { return !m_reading; });
    m_sha.finish();  // resets the running hash
    m_written = 0;
    m_hashed = 0;
}

Result<std::string> BackgroundHasher::File::finish(std::uint64_t size)
{
    written_up_to(size);
    std::unique_lock lock(m_mutex);
    m_hashed_changed.wait(lock, [&] { return m_error || m_cancelled || m_hashed >= size; });
    if (m_error) return std::unexpected(*m_error);
    if (m_cancelled || m_hashed != size) return fail(ErrorCode::internal, m_name + ": hashing stopped early");
    m_cancelled = true;  // nothing more to read
    return m_sha.finish_hex();
}

void BackgroundHasher::File::cancel()
{
    std::unique_lock lock(m_mutex);
    m_cancelled = true;
    m_hashed_changed.wait(lock, [&] { return !m_reading; });
}

}  // namespace gapbundle::net::detail
