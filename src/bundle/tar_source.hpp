#pragma once

// The tar bytes of a bundle file, handed to libarchive through its read callback: the file itself,
// or its zstd decompression (private to the bundle layer). Decompressing here rather than in
// libarchive's zstd filter lets the reader go on past the tar's end-of-archive marker and check
// what follows it, and tells which stream offsets held a non-zero byte.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include "block_queue.hpp"
#include "header_walker.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct ZSTD_DCtx_s;

namespace gapbundle::bundle::detail {

// A payload volume to read after the head file, and what the signed index says it holds.
struct VolumeFile {
    std::filesystem::path path;
    Volume expected;
};

class TarSource {
public:
    // Takes the open bundle; looks at its first bytes to choose between plain tar and zstd.
    static Result<std::unique_ptr<TarSource>> open(UniqueFd fd, std::string name);
    ~TarSource();
    TarSource(const TarSource&) = delete;
    TarSource& operator=(const TarSource&) = delete;

    // The next bytes of the tar stream; empty at its end. The span stays valid until the next call.
    Result<std::span<const std::byte>> next();
    // Tar stream bytes handed out so far.
    [[nodiscard]] std::uint64_t delivered() const { return m_delivered; }
    // One past the stream offset of the last non-zero byte handed out (0 when all were zero).
    [[nodiscard]] std::uint64_t nonzero_end() const { return m_nonzero_end; }
    // What the independent header walk refused in the bytes handed out so far.
    [[nodiscard]] const std::optional<HeaderProblem>& header_problem() const { return m_walker.problem(); }

    // The stream goes on in these files, in order, once the head file ends (a bundle in volumes).
    // Each is hashed as it is read and checked against its size and hash when it ends; a
    // difference fails the read and is kept as volume_problem().
    void chain_volumes(std::vector<VolumeFile> volumes);
    [[nodiscard]] const std::optional<HeaderProblem>& volume_problem() const { return m_volume_problem; }
    // Reads the rest of the volume being read (without handing it out) and checks it: after a
    // problem in its entries, whether the volume itself is damaged (or another volume's bytes).
    void check_rest_of_volume();

private:
    struct FreeDctx {
        void operator()(ZSTD_DCtx_s* dctx) const noexcept;
    };
    TarSource(UniqueFd fd, std::string name) : m_fd(std::move(fd)), m_name(std::move(name)) {}
    Result<std::span<const std::byte>> next_plain();
    Result<std::span<const std::byte>> next_zstd();
    Result<std::size_t> fill_input();
    Status open_next_volume();
    Status volume_failed(std::string message);
    Status check_volume_end();
    std::span<const std::byte> hand_out(std::span<const std::byte> chunk);

    UniqueFd m_fd;
    std::string m_name;
    std::unique_ptr<ZSTD_DCtx_s, FreeDctx> m_dctx;  // set for a zstd bundle
    std::vector<std::byte> m_in;
    std::size_t m_in_pos = 0;
    std::size_t m_in_size = 0;
    bool m_in_eof = false;
    bool m_frame_open = false;   // zstd: a frame was started and has not ended
    bool m_out_pending = false;  // zstd: the last call filled the output buffer
    std::vector<std::byte> m_out;
    std::uint64_t m_delivered = 0;
    std::uint64_t m_nonzero_end = 0;
    HeaderWalker m_walker;
    std::vector<VolumeFile> m_volumes;
    std::size_t m_next_volume = 0;  // index in m_volumes of the volume to open next
    bool m_in_volume = false;       // m_fd is a payload volume (m_volumes[m_next_volume - 1])
    crypto::Sha256 m_volume_hash;  // updated by m_volume_hasher's thread only, read after its finish()
    std::unique_ptr<BlockQueue> m_volume_hasher;  // last: stopped before the hash it feeds goes
    std::uint64_t m_volume_bytes = 0;
    bool m_volume_checked = false;
    std::optional<HeaderProblem> m_volume_problem;
};

}  // namespace gapbundle::bundle::detail
