#pragma once

// The compressed output of a bundle: the tar stream libarchive produces, compressed by libzstd
// and handed to a sink (private to the bundle layer). libarchive's own zstd filter gives
// no say over zstd's job size, and with its defaults pack's peak RSS passed 100 MB; here the
// jobs are 1 MiB, so memory stays flat whatever the level of parallelism.

#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

struct ZSTD_CCtx_s;

namespace gapbundle::bundle::detail {

class ZstdStream {
public:
    using Sink = std::function<Status(std::span<const std::byte>)>;
    // zstd's multi-threaded mode with `workers` >= 1 threads: its output depends on the level and
    // the job size, never on the number of workers, so bundles stay byte-identical across machines.
    static Result<ZstdStream> open(Sink sink, int level, int workers);
    ZstdStream(ZstdStream&&) noexcept;
    ZstdStream& operator=(ZstdStream&&) noexcept;
    ~ZstdStream();

    Status write(std::span<const std::byte> data);
    Status finish();  // ends the frame and writes what is left
    [[nodiscard]] std::uint64_t bytes_out() const { return m_bytes_out; }

private:
    struct FreeCctx {
        void operator()(ZSTD_CCtx_s* cctx) const noexcept;
    };
    ZstdStream(Sink sink, std::unique_ptr<ZSTD_CCtx_s, FreeCctx> cctx);
    Status drain(std::span<const std::byte> data, bool end);

    Sink m_sink;
    std::unique_ptr<ZSTD_CCtx_s, FreeCctx> m_cctx;
    std::vector<std::byte> m_out;
    std::uint64_t m_bytes_out = 0;
};

}  // namespace gapbundle::bundle::detail
