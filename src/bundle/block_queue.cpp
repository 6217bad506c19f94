#include "block_queue.hpp"

namespace gapbundle::bundle::detail {

BlockQueue::BlockQueue(Consumer consumer, std::size_t depth)
    : m_consumer(std::move(consumer)), m_depth(depth < 1 ? 1 : depth), m_thread([this] { run(); })
{
}

BlockQueue::~BlockQueue()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

Status BlockQueue::write(std::span<const std::byte> block)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || m_queue.size() < m_depth; });
    if (m_error) return std::unexpected(*m_error);
    std::vector<std::byte> copy;
    if (!m_spare.empty()) {
        copy = std::move(m_spare.back());
        m_spare.pop_back();
    }
    copy.assign(block.begin(), block.end());
    m_queue.push_back(std::move(copy));
    lock.unlock();
    m_changed.notify_all();
    return {};
}

Status BlockQueue::finish()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || (m_queue.empty() && !m_writing); });
    if (m_error) return std::unexpected(*m_error);
    return {};
}

void BlockQueue::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_stopping) return;  // finish() was not called: the file is being discarded
        std::vector<std::byte> block = std::move(m_queue.front());
        m_queue.pop_front();
        m_writing = true;
        const bool failed_before = m_error.has_value();
        lock.unlock();
        Status written = failed_before ? Status{} : m_consumer(block);
        lock.lock();
        m_writing = false;
        if (!written && !m_error) m_error = written.error();
        m_spare.push_back(std::move(block));
        m_changed.notify_all();
    }
}

}  // namespace gapbundle::bundle::detail
