#include "writeback_pacer.hpp"

#include <unistd.h>

namespace gapbundle::bundle::detail {

WritebackPacer::WritebackPacer(UniqueFd folder, std::uint64_t step) : m_folder(std::move(folder)), m_step(step) {}

WritebackPacer::~WritebackPacer()
{
    stop();
}

void WritebackPacer::wrote(std::uint64_t bytes)
{
    m_unreported += bytes;
    if (m_unreported < m_step || !m_folder.valid()) return;
    m_unreported = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_flush_wanted = true;
    }
    if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
    m_wake.notify_one();
}

void WritebackPacer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void WritebackPacer::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || m_flush_wanted; });
        if (m_stopping) return;
        m_flush_wanted = false;
        lock.unlock();
        // Writes back and waits for what was dirty when it began; the writing thread goes on.
        // Its error, if any, is the final syncfs's to report.
        (void)::syncfs(m_folder.get());
        m_flushes.fetch_add(1);
        lock.lock();
    }
}

}  // namespace gapbundle::bundle::detail
