#pragma once

// Writes a bundle's blocks to its descriptor on a thread of its own (private to the bundle
// layer), so that packing reads and hashes the next file while the kernel copies the last
// block into the page cache: on 2 cores, the two halves of a pack overlap instead of taking
// turns. At most `depth` blocks wait, so memory stays flat.

#include <gapbundle/util/error.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace gapbundle::bundle::detail {

class BlockWriter {
public:
    BlockWriter(int fd, std::size_t depth);
    ~BlockWriter();  // waits for the thread; blocks not written by then are dropped
    BlockWriter(const BlockWriter&) = delete;
    BlockWriter& operator=(const BlockWriter&) = delete;

    // Copies `block` and queues it; waits while `depth` blocks are queued. An earlier write's
    // error is returned here (or by finish()).
    Status write(std::span<const std::byte> block);
    Status finish();  // every queued block written

private:
    void run();

    int m_fd;
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
