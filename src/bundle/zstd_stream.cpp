#include "zstd_stream.hpp"

#include <zstd.h>

namespace gapbundle::bundle::detail {

namespace {

constexpr int k_job_bytes = 1 << 20;  // the output depends on it: part of the bundle format (bundle-format.md §1.2)

Status zstd_failed(std::size_t code, std::string_view what)
{
    return fail(ErrorCode::io, "zstd " + std::string(what) + ": " + ZSTD_getErrorName(code));
}

}  // namespace

void ZstdStream::FreeCctx::operator()(ZSTD_CCtx_s* cctx) const noexcept
{
    ZSTD_freeCCtx(cctx);
}

ZstdStream::ZstdStream(Sink sink, std::unique_ptr<ZSTD_CCtx_s, FreeCctx> cctx)
    : m_sink(std::move(sink)), m_cctx(std::move(cctx)), m_out(ZSTD_CStreamOutSize())
{
}

ZstdStream::ZstdStream(ZstdStream&&) noexcept = default;
ZstdStream& ZstdStream::operator=(ZstdStream&&) noexcept = default;
ZstdStream::~ZstdStream() = default;

Result<ZstdStream> ZstdStream::open(Sink sink, int level, int workers)
{
    std::unique_ptr<ZSTD_CCtx_s, FreeCctx> cctx(ZSTD_createCCtx());
    if (!cctx) return fail(ErrorCode::internal, "zstd: cannot create a compression context");
    const std::pair<ZSTD_cParameter, int> settings[] = {
        {ZSTD_c_compressionLevel, level}, {ZSTD_c_nbWorkers, workers < 1 ? 1 : workers},
        {ZSTD_c_jobSize, k_job_bytes},    {ZSTD_c_checksumFlag, 1}};
    for (const auto& [parameter, value] : settings) {
        const std::size_t code = ZSTD_CCtx_setParameter(cctx.get(), parameter, value);
        if (ZSTD_isError(code)) return std::unexpected(zstd_failed(code, "settings").error());
    }
    return ZstdStream(std::move(sink), std::move(cctx));
}

Status ZstdStream::write(std::span<const std::byte> data)
{
    return drain(data, false);
}

Status ZstdStream::finish()
{
    return drain({}, true);
}

Status ZstdStream::drain(std::span<const std::byte> data, bool end)
{
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
        ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
        const std::size_t left = ZSTD_compressStream2(m_cctx.get(), &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) return zstd_failed(left, "compression");
        if (out.pos > 0) {
            if (auto st = m_sink(std::span(m_out).first(out.pos)); !st) return st;
            m_bytes_out += out.pos;
        }
        // Not ending: done once the input is taken. Ending: done when zstd has nothing left.
        if (end ? left == 0 : in.pos == in.size) return {};
    }
}

}  // namespace gapbundle::bundle::detail
