#pragma once

// Keeps the disk busy while unpack is still writing: a thread of its own calls syncfs each time
// another `step` bytes have been written into the tree, so that the one syncfs that makes the
// tree durable waits only for the last of them. Without it the kernel starts writing back only
// once a tenth of memory is dirty, and a bundle of a few gigabytes reached its final syncfs with
// nearly every byte still to write. Private to the bundle layer.

#include <gapbundle/util/file_handles.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace gapbundle::bundle::detail {

class WritebackPacer {
public:
    static constexpr std::uint64_t k_default_step = std::uint64_t{128} << 20;

    // `folder`: an open file description of its own on the filesystem to flush (none: the pacer
    // does nothing). Errors of the background flushes are left for the caller's own syncfs, which
    // reports them through its own description.
    explicit WritebackPacer(UniqueFd folder, std::uint64_t step = k_default_step);
    ~WritebackPacer();
    WritebackPacer(const WritebackPacer&) = delete;
    WritebackPacer& operator=(const WritebackPacer&) = delete;

    void wrote(std::uint64_t bytes);  // from the writing thread; starts the flushing thread once
    void stop();                      // waits for a flush under way; idempotent
    [[nodiscard]] std::uint64_t flushes() const { return m_flushes.load(); }

private:
    void run();

    UniqueFd m_folder;
    std::uint64_t m_step;
    std::uint64_t m_unreported = 0;  // the writing thread's own count since it last woke the thread
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_flush_wanted = false;  // under m_mutex: a step was written since the last flush began
    bool m_stopping = false;      // under m_mutex
    std::atomic<std::uint64_t> m_flushes{0};
    std::thread m_thread;
};

}  // namespace gapbundle::bundle::detail
