#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::bundle {

enum class Compression { none, zstd };

struct WriterOptions {
    Compression compression = Compression::none;
    int zstd_level = 3;
    int threads = 0;          // zstd worker threads; 0 = one
    std::int64_t mtime = 0;   // every entry's mtime (SOURCE_DATE_EPOCH or the build time)
    // Above 0: write the bundle in volumes of fewer than this many bytes (see begin_head).
    std::uint64_t split_size = 0;
};

inline constexpr std::uint64_t k_min_split_size = 64 << 10;

// Pulls the next bytes of an entry into the buffer; 0 means end of data.
using ByteSource = std::function<Result<std::size_t>(std::span<std::byte>)>;

// An entry whose bytes did not hash to what add_checked_stream was told to expect.
struct HashMismatch {
    std::string path;
    std::string actual;
    std::string expected;
};

// Writes a pax tar (optionally zstd) into a temporary file beside `path` (or volumes, see
// begin_head); commit() makes it
// appear, any failure or destruction without commit leaves nothing behind.
// Entries get uid/gid 0, no user or group names, the fixed mtime.
class BundleWriter {
public:
    static Result<BundleWriter> create(const std::filesystem::path& path, const WriterOptions& options);
    BundleWriter(BundleWriter&&) noexcept;
    BundleWriter& operator=(BundleWriter&&) noexcept;
    ~BundleWriter();

    Status add_bytes(std::string_view path, std::string_view data, std::uint32_t mode = 0644);
    // Streams exactly `size` bytes from `source`; returns the SHA-256 (hex) of what was written.
    // Fewer or more bytes than `size` is an error.
    Result<std::string> add_stream(std::string_view path, std::uint64_t size, std::uint32_t mode,
                                   const ByteSource& source);
    // Streams exactly `size` bytes from `source`, which must hash to `sha256` (hex). The hash is
    // taken and checked on a second thread while the next entries stream, so a mismatch is
    // returned by a later call or by commit() (ErrorCode::verification; hash_mismatch() then says
    // which entry), and the bundle is never committed. On 2 cores, reading and hashing overlap.
    Status add_checked_stream(std::string_view path, std::uint64_t size, std::uint32_t mode, const ByteSource& source,
                              std::string_view sha256);
    [[nodiscard]] const std::optional<HashMismatch>& hash_mismatch() const;
    Status add_dir(std::string_view path, std::uint32_t mode = 0755);
    Status add_symlink(std::string_view path, std::string_view target);
    // A bundle in volumes (split_size) is written payload first: the entries added before this
    // call go to BUNDLE.001, BUNDLE.002, …, a new one before each reaches split_size bytes. This
    // ends them (with the end-of-archive marker) and returns their sizes and hashes, for the
    // index. The entries added next, index.json and its signatures, form the head, BUNDLE.000,
    // which ends without the marker, so that the volumes' concatenation is one tar (or a zstd
    // stream of two frames, the head's and the payload's).
    Result<std::vector<Volume>> begin_head();
    // Renames the bundle (or every volume, then BUNDLE.000 last) into place.
    Status commit();
    [[nodiscard]] std::uint64_t bytes_written() const;  // compressed bytes so far

private:
    struct Impl;
    explicit BundleWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

Compression compression_for_output(const std::filesystem::path& path);  // .zst/.tzst → zstd

}  // namespace gapbundle::bundle
