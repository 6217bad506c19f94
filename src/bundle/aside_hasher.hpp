#pragma once

// The SHA-256 of one entry at a time, computed on a BlockQueue's thread while the calling thread
// reads and writes the entry (pack writing a bundle, verify and unpack reading one): on 2 cores
// the hash then costs no time. Entries ended without waiting share blocks, so a run of small files
// costs a hand-over per block, not per file. Private to the bundle layer.

#include "block_queue.hpp"

#include <gapbundle/bundle/writer.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <functional>
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
    // Room to read the entry's next bytes into, in the block the thread hashes next, so that they
    // are not copied; commit(n) adds the first n of them to the entry. See BlockQueue::space().
    Result<std::span<std::byte>> space();
    Status commit(std::size_t n);
    // Waits for every chunk; the entry's sha256. The hash starts anew for the next entry, even
    // after an error.
    Result<std::string> finish();
    // Ends the entry without waiting: the thread compares its sha256 with `sha256` once every
    // chunk is hashed. A mismatch is an error (verification, naming `path`) returned by a later
    // call, and kept in mismatch(); the hash starts anew for the next entry.
    Status expect(std::string path, std::string sha256);
    // Ends the entry without waiting: once every chunk is hashed, the thread hands the sha256 to
    // `done`, whose error is kept like a mismatch's. The hash starts anew for the next entry.
    Status end_entry(std::function<Status(std::string sha256)> done);
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
    Thread& started();  // m_thread, started on first use
    std::unique_ptr<Thread> m_thread;
};

}  // namespace gapbundle::bundle::detail
