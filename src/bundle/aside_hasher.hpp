#pragma once

// The SHA-256 of one entry at a time, computed on a BlockQueue's thread while the calling thread
// reads and writes the entry (pack writing a bundle, unpack writing files): on 2 cores the hash
// then costs no time. Private to the bundle layer.

#include "block_queue.hpp"

#include <gapbundle/bundle/writer.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace gapbundle::bundle::detail {

class AsideHasher {
public:
    // Entries under 4 MiB whose hash the caller waits for are not worth the copy and the hand-over:
    // hash them inline. (Checked with expect(), nothing waits: every size is worth it.)
    static bool worth_it(std::uint64_t size) { return size >= (4u << 20); }

    Status update(std::span<const std::byte> chunk);  // copies the chunk; starts the thread once
    // Waits for every chunk; the entry's sha256. The hash starts anew for the next entry, even
    // after an error.
    Result<std::string> finish();
    // Ends the entry without waiting: the thread compares its sha256 with `sha256` once every
    // chunk is hashed. A mismatch is an error (verification, naming `path`) returned by a later
    // call, and kept in mismatch(); the hash starts anew for the next entry.
    Status expect(std::string path, std::string sha256);
    Status status();  // an earlier entry's mismatch, without waiting
    Status drain();   // waits for every entry's check
    [[nodiscard]] const std::optional<HashMismatch>& mismatch() const;  // after an error only

private:
    // Apart from the hasher, so that it can be moved while the queue's thread refers to them.
    struct Thread {
        Thread();
        crypto::Sha256 hash;  // touched by the queue's thread only, until finish() drained it
        std::optional<HashMismatch> mismatch;  // set by the queue's thread before its error
        BlockQueue queue;     // declared last: stopped first
    };
    std::unique_ptr<Thread> m_thread;  // started by the first update()
};

}  // namespace gapbundle::bundle::detail
