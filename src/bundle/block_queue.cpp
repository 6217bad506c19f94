#include "block_queue.hpp"

#include <algorithm>
#include <cstring>

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

Status BlockQueue::append(std::span<const std::byte> piece)
{
    while (!piece.empty()) {
        auto tail = space();
        if (!tail) return std::unexpected(tail.error());
        const std::size_t n = std::min(tail->size(), piece.size());
        std::memcpy(tail->data(), piece.data(), n);
        piece = piece.subspan(n);
        if (auto st = commit(n); !st) return st;
    }
    return {};
}

Result<std::span<std::byte>> BlockQueue::space()
{
    if (m_filled == k_block_bytes)
        if (auto st = queue_filling(); !st) return std::unexpected(st.error());
    if (m_filling.size() != k_block_bytes) m_filling.resize(k_block_bytes);  // the first block, or none spare
    return std::span(m_filling).subspan(m_filled);
}

Status BlockQueue::commit(std::size_t n)
{
    m_filled += std::min(n, k_block_bytes - m_filled);
    if (m_filled == k_block_bytes) return queue_filling();
    return {};
}

Status BlockQueue::then(std::function<Status()> step)
{
    m_filling_marks.push_back({m_filled, std::move(step)});
    // Empty entries fill no block: their steps still go, a bounded number at a time.
    if (m_filling_marks.size() >= k_marks_per_block) return queue_filling();
    return {};
}

Status BlockQueue::status()
{
    std::lock_guard lock(m_mutex);
    if (m_error) return std::unexpected(*m_error);
    return {};
}

Status BlockQueue::queue_filling()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || m_queue.size() < m_depth; });
    if (m_error) return std::unexpected(*m_error);
    m_queue.push_back({std::move(m_filling), m_filled, std::move(m_filling_marks)});
    m_filling.clear();  // moved from: made valid again, and sized by space() unless a spare comes
    m_filled = 0;
    m_filling_marks.clear();
    if (!m_spare.empty()) {
        m_filling = std::move(m_spare.back());
        m_spare.pop_back();
    }
    lock.unlock();
    m_changed.notify_all();
    return {};
}

Status BlockQueue::finish()
{
    if (m_filled > 0 || !m_filling_marks.empty())
        if (auto st = queue_filling(); !st) return st;
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || (m_queue.empty() && !m_writing); });
    if (m_error) return std::unexpected(*m_error);
    return {};
}

// The block's bytes up to each mark, then the mark's step; the bytes after the last mark. Stops at
// the first error.
Status BlockQueue::consume(Item& item)
{
    const auto block = std::span<const std::byte>(item.block).first(item.size);
    std::size_t at = 0;
    for (auto& mark : item.marks) {
        if (mark.offset > at)
            if (auto st = m_consumer(block.subspan(at, mark.offset - at)); !st) return st;
        at = mark.offset;
        if (auto st = mark.step(); !st) return st;
    }
    if (at < block.size()) return m_consumer(block.subspan(at));
    return {};
}

void BlockQueue::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_stopping) return;  // finish() was not called: the file is being discarded
        Item item = std::move(m_queue.front());
        m_queue.pop_front();
        m_writing = true;
        const bool failed_before = m_error.has_value();
        lock.unlock();
        const Status done = failed_before ? Status{} : consume(item);
        lock.lock();
        m_writing = false;
        if (!done && !m_error) m_error = done.error();
        if (item.block.size() == k_block_bytes) m_spare.push_back(std::move(item.block));
        m_changed.notify_all();
    }
}

}  // namespace gapbundle::bundle::detail
