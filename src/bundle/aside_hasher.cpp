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

Status AsideHasher::update(std::span<const std::byte> chunk)
{
    if (!m_thread) m_thread = std::make_unique<Thread>();
    return m_thread->queue.write(chunk);
}

Result<std::string> AsideHasher::finish()
{
    if (!m_thread) return crypto::Sha256().finish_hex();  // no bytes
    const Status drained = m_thread->queue.finish();
    std::string hex = m_thread->hash.finish_hex();  // which also resets it
    if (!drained) return std::unexpected(drained.error());
    return hex;
}

}  // namespace gapbundle::bundle::detail
