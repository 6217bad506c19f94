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
inline constexpr std::size_t k_block_bytes = 256 << 10;    // what the consumer is handed at a time
inline constexpr std::size_t k_marks_per_block = 1024;     // steps waiting in the block being filled, at most

class BlockQueue {
public:
    using Consumer = std::function<Status(std::span<const std::byte>)>;

    BlockQueue(Consumer consumer, std::size_t depth);
    ~BlockQueue();  // waits for the thread; blocks not consumed by then are dropped
    BlockQueue(const BlockQueue&) = delete;
    BlockQueue& operator=(const BlockQueue&) = delete;

    // Copies `piece` into the block being filled, and queues that block once it holds
    // k_block_bytes, waiting while `depth` blocks are queued: pieces of any size reach the
    // consumer in blocks of k_block_bytes, copied once. An earlier block's error is returned here
    // (or by finish()).
    Status append(std::span<const std::byte> piece);
    // The free tail of the block being filled (never empty: a full block is queued first), for a
    // caller to read into instead of copying with append(); commit(n) then adds its first n bytes.
    // Valid until the next call that appends, commits or queues.
    Result<std::span<std::byte>> space();
    Status commit(std::size_t n);
    // Marks the end of the bytes appended so far: `step` runs on the thread once every byte
    // before it is consumed, and before any byte after it. It does not queue the block being
    // filled, so that many small entries share a block (and a hand-over), nor wait. A step's error
    // is kept like a block's.
    Status then(std::function<Status()> step);
    Status finish();  // queues the block being filled; every block consumed; the queue can be used again
    Status status();  // the first error so far, without waiting

private:
    struct Mark {
        std::size_t offset;  // in the block: the step runs once the bytes before it are consumed
        std::function<Status()> step;
    };
    struct Item {
        std::vector<std::byte> block;  // k_block_bytes long, of which the first `size` are filled
        std::size_t size = 0;
        std::vector<Mark> marks;  // in order of offset
    };
    void run();
    Status queue_filling();
    Status consume(Item& item);

    Consumer m_consumer;
    std::size_t m_depth;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::byte> m_filling;  // k_block_bytes once used; touched by the calling thread only
    std::size_t m_filled = 0;          // its bytes appended so far; likewise
    std::vector<Mark> m_filling_marks;  // likewise
    std::deque<Item> m_queue;
    std::vector<std::vector<std::byte>> m_spare;  // written blocks, reused
    bool m_writing = false;
    bool m_stopping = false;
    std::optional<Error> m_error;
    std::thread m_thread;
};

}  // namespace gapbundle::bundle::detail
