#pragma once

// A whole zstd stream held in memory, decompressed into memory with a cap (private to conda).

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct ZSTD_DCtx_s;

namespace gapbundle::sources::conda::detail {

struct FreeDctx {
    void operator()(ZSTD_DCtx_s* dctx) const noexcept;
};
using UniqueDctx = std::unique_ptr<ZSTD_DCtx_s, FreeDctx>;

// The decompressed bytes of every frame in `compressed`. A damaged or truncated stream, or one
// that decompresses to more than `max_bytes`, is ErrorCode::download ("not a valid zstd stream
// (...)", "truncated zstd stream", "decompresses to more than 2 GiB").
Result<std::string> zstd_decompress(std::string_view compressed, std::uint64_t max_bytes);

}  // namespace gapbundle::sources::conda::detail
