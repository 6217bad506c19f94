#pragma once

// SHA-256 of files while they are being written, on a thread of its own (private to the net
// layer). The thread that receives a download only writes it; this one reads back, from the page
// cache, what has been written so far, in order. On 2 cores that splits the work of a download
// in two halves instead of one thread doing receive, write and hash in series.

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gapbundle::net::detail {

class BackgroundHasher {
public:
    class File;

    BackgroundHasher();
    ~BackgroundHasher();  // stops the thread; files not finished are abandoned
    BackgroundHasher(const BackgroundHasher&) = delete;
    BackgroundHasher& operator=(const BackgroundHasher&) = delete;

    // Starts hashing the file open on `fd` (read with pread; the caller keeps it open until
    // File::finish or File::cancel returned). `name` is for errors.
    std::shared_ptr<File> track(int fd, std::string name);

private:
    friend class File;
    void enqueue(std::shared_ptr<File> file);
    void run();

    std::mutex m_mutex;
    std::condition_variable m_ready_changed;
    std::deque<std::shared_ptr<File>> m_ready;  // files with written bytes not hashed yet
    bool m_stopping = false;
    std::thread m_thread;
};

class BackgroundHasher::File : public std::enable_shared_from_this<File> {
public:
    File(BackgroundHasher& owner, int fd, std::string name) : m_owner(owner), m_fd(fd), m_name(std::move(name)) {}

    void written_up_to(std::uint64_t size);  // the first `size` bytes are in the file
    void restart();                          // the file was emptied: hash from the start again
    // Waits until exactly the first `size` bytes are hashed; their sha256.
    Result<std::string> finish(std::uint64_t size);
    void cancel();  // no more reads of the descriptor after this returns

private:
    friend class BackgroundHasher;
    void hash_some(std::vector<char>& block);  // on the hasher's thread

    BackgroundHasher& m_owner;
    int m_fd;
    std::string m_name;
    std::mutex m_mutex;
    std::condition_variable m_hashed_changed;
    crypto::Sha256 m_sha;
    std::uint64_t m_written = 0;
    std::uint64_t m_hashed = 0;
    bool m_queued = false;
    bool m_reading = false;  // the hasher's thread reads the descriptor and updates m_sha
    bool m_cancelled = false;
    std::optional<Error> m_error;
};

}  // namespace gapbundle::net::detail
