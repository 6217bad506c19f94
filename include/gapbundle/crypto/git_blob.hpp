#pragma once

// Git's object id for a file ("blob"): SHA-1 over "blob <size>\0" followed by the content, as
// `git hash-object` computes it. The Hugging Face Hub names regular (non-LFS) files by it: the
// ETag of a resolve answer, "blobId"/"oid" in its API, and the blob's name in its local cache.

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace gapbundle::crypto {

// Streaming: the size goes into the header, so it is given up front; then the content is fed in
// chunks. finish_hex() fails (ErrorCode::download) when the bytes fed differ from the size.
class GitBlobHasher {
public:
    explicit GitBlobHasher(std::uint64_t size);
    GitBlobHasher(GitBlobHasher&&) noexcept;
    GitBlobHasher& operator=(GitBlobHasher&&) noexcept;
    GitBlobHasher(const GitBlobHasher&) = delete;
    GitBlobHasher& operator=(const GitBlobHasher&) = delete;
    ~GitBlobHasher();

    void update(std::span<const std::byte> data);
    void update(std::string_view data);
    [[nodiscard]] std::uint64_t bytes_fed() const { return m_fed; }
    // 40 lowercase hex digits. The hasher cannot be used afterwards.
    Result<std::string> finish_hex();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::uint64_t m_size = 0;
    std::uint64_t m_fed = 0;
};

// One shot over bytes in memory.
std::string git_blob_sha1_hex(std::string_view content);

// Streams a file (its size taken from fstat, its bytes read once).
Result<std::string> git_blob_sha1_file(const std::filesystem::path& path);

}  // namespace gapbundle::crypto
