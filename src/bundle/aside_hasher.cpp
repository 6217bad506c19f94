#include "aside_hasher.hpp"

namespace gapbundle::bundle::detail {

AsideHasher::Thread::Thread()
    : queue(
          [this](std::span<const std::byte> block) {
              hash.update(block);
              return Status{};
          },
          k_blocks_in_flight)
{
}

AsideHasher::Thread& AsideHasher::started()
{
    if (!m_thread) m_thread = std::make_unique<Thread>();
    return *m_thread;
}

Status AsideHasher::update(std::span<const std::byte> chunk)
{
    return started().queue.append(chunk);
}

Result<std::span<std::byte>> AsideHasher::space()
{
    return started().queue.space();
}

Status AsideHasher::commit(std::size_t n)
{
    return started().queue.commit(n);
}

Result<std::string> AsideHasher::finish()
{
    if (!m_thread) return crypto::Sha256().finish_hex();  // no bytes
    const Status drained = m_thread->queue.finish();
    std::string hex = m_thread->hash.finish_hex();  // which also resets it
    if (!drained) return std::unexpected(drained.error());
    return hex;
}

Status AsideHasher::expect(std::string path, std::string sha256)
{
    Thread& thread = started();
    return end_entry([&thread, path = std::move(path), expected = std::move(sha256)](std::string actual) -> Status {
        if (actual == expected) return {};
        Error error{ErrorCode::verification, path + ": sha256 " + actual + ", expected " + expected};
        thread.mismatch = HashMismatch{path, std::move(actual), expected};
        return std::unexpected(std::move(error));
    });
}

Status AsideHasher::end_entry(std::function<Status(std::string sha256)> done)
{
    Thread& thread = started();
    return thread.queue.then([&thread, done = std::move(done)] { return done(thread.hash.finish_hex()); });
}

Status AsideHasher::status()
{
    return m_thread ? m_thread->queue.status() : Status{};
}

Status AsideHasher::drain()
{
    return m_thread ? m_thread->queue.finish() : Status{};
}

const std::optional<HashMismatch>& AsideHasher::mismatch() const
{
    static const std::optional<HashMismatch> none;
    return m_thread ? m_thread->mismatch : none;
}

}  // namespace gapbundle::bundle::detail
