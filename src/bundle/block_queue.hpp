#pragma once

// Hands blocks of bytes to a consumer on a thread of its own (private to the bundle layer):
// writing a bundle's blocks to its file, or hashing what a pack streams into it, while the
// packing thread goes on reading. On 2 cores the halves of a pack overlap instead of taking
// turns. At most `depth` blocks wait, so memory stays flat.

#include <gapbundle/util/error.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace gapbundle::bundle::detail {

inline constexpr std::size_t k_blocks_in_flight = 4;  // blocks waiting for the disk or the hash

class BlockQueue {
public:
    using Consumer = std::function<Status(std::span<const std::byte>)>;

    BlockQueue(Consumer consumer, std::size_t depth);
    ~BlockQueue();  // waits for the thread; blocks not consumed by then are dropped
    BlockQueue(const BlockQueue&) = delete;
    BlockQueue& operator=(const BlockQueue&) = delete;

    // Copies `block` and queues it; waits while `depth` blocks are queued. An earlier block's
    // error is returned here (or by finish()).
    Status write(std::span<const std::byte> block);
    Status finish();  // every queued block consumed; the queue can be used again

private:
    void run();

    Consumer m_consumer;
    std::size_t m_depth;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::vector<std::byte>> m_queue;
    std::vector<std::vector<std::byte>> m_spare;  // written blocks, reused
    bool m_writing = false;
    bool m_stopping = false;
    std::optional<Error> m_error;
    std::thread m_thread;
};

}  // namespace gapbundle::bundle::detail
