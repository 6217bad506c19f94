#include "zstd_text.hpp"

#include <gapbundle/util/text.hpp>

#include <zstd.h>

namespace gapbundle::sources::conda::detail {

void FreeDctx::operator()(ZSTD_DCtx_s* dctx) const noexcept
{
    ZSTD_freeDCtx(dctx);
}

Result<std::string> zstd_decompress(std::string_view compressed, std::uint64_t max_bytes)
{
    UniqueDctx dctx(ZSTD_createDCtx());
    if (!dctx) return fail(ErrorCode::internal, "zstd: cannot create a decompression context");
    if (compressed.empty()) return fail(ErrorCode::download, "not a valid zstd stream (empty)");

    std::string out;
    std::string chunk(ZSTD_DStreamOutSize(), '\0');
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    std::size_t left = 0;
    while (in.pos < in.size || left > 0) {
        ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
        const std::size_t before = in.pos;
        left = ZSTD_decompressStream(dctx.get(), &buffer, &in);
        if (ZSTD_isError(left))
            return fail(ErrorCode::download, std::string("not a valid zstd stream (") + ZSTD_getErrorName(left) + ")");
        if (out.size() + buffer.pos > max_bytes)
            return fail(ErrorCode::download, "decompresses to more than " + text::human_bytes(max_bytes));
        out.append(chunk.data(), buffer.pos);
        const bool stuck = in.pos == before && buffer.pos < buffer.size;
        if (left > 0 && in.pos == in.size && stuck)
            return fail(ErrorCode::download, "truncated zstd stream (the last frame does not end)");
    }
    return out;
}

}  // namespace gapbundle::sources::conda::detail
