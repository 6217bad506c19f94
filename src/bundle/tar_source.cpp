#include "tar_source.hpp"

#include <gapbundle/util/fs.hpp>

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace gapbundle::bundle::detail {

namespace {

constexpr std::size_t k_read_bytes = 1 << 20;

bool is_zstd(std::span<const std::byte> head)
{
    if (head.size() < 4) return false;
    std::uint32_t magic = 0;
    std::memcpy(&magic, head.data(), 4);  // little-endian on every machine we build for
    return magic == ZSTD_MAGICNUMBER || (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

}  // namespace

void TarSource::FreeDctx::operator()(ZSTD_DCtx_s* dctx) const noexcept
{
    ZSTD_freeDCtx(dctx);
}

TarSource::~TarSource() = default;

Result<std::unique_ptr<TarSource>> TarSource::open(UniqueFd fd, std::string name)
{
    std::unique_ptr<TarSource> source(new TarSource(std::move(fd), std::move(name)));
    source->m_in.resize(k_read_bytes);
    auto got = source->fill_input();
    if (!got) return std::unexpected(got.error());
    if (is_zstd(std::span(source->m_in).first(source->m_in_size))) {
        source->m_dctx.reset(ZSTD_createDCtx());
        if (!source->m_dctx) return fail(ErrorCode::internal, "zstd: cannot create a decompression context");
        source->m_out.resize(ZSTD_DStreamOutSize());
    }
    return source;
}

Result<std::size_t> TarSource::fill_input()
{
    m_in_pos = 0;
    m_in_size = 0;
    if (m_in_eof) return 0;
    auto got = fs::read_some(m_fd.get(), std::span(m_in));
    if (!got) return std::unexpected(got.error().context(m_name));
    m_in_size = *got;
    if (m_in_size < m_in.size()) m_in_eof = true;
    return m_in_size;
}

std::span<const std::byte> TarSource::hand_out(std::span<const std::byte> chunk)
{
    // Scanned from the end: a data chunk stops at its last byte, only runs of zeros cost more.
    for (std::size_t i = chunk.size(); i > 0; --i) {
        if (chunk[i - 1] != std::byte{0}) {
            m_nonzero_end = m_delivered + i;
            break;
        }
    }
    m_delivered += chunk.size();
    m_walker.feed(chunk);
    return chunk;
}

Result<std::span<const std::byte>> TarSource::next()
{
    return m_dctx ? next_zstd() : next_plain();
}

Result<std::span<const std::byte>> TarSource::next_plain()
{
    if (m_in_pos == m_in_size) {
        auto got = fill_input();
        if (!got) return std::unexpected(got.error());
    }
    const auto chunk = std::span<const std::byte>(m_in).subspan(m_in_pos, m_in_size - m_in_pos);
    m_in_pos = m_in_size;
    return hand_out(chunk);
}

Result<std::span<const std::byte>> TarSource::next_zstd()
{
    for (;;) {
        if (m_in_pos == m_in_size && !m_out_pending) {
            auto got = fill_input();
            if (!got) return std::unexpected(got.error());
            if (*got == 0) {
                if (m_frame_open)
                    return fail(ErrorCode::verification, "truncated zstd stream (the last frame does not end)");
                return std::span<const std::byte>();
            }
        }
        ZSTD_inBuffer in{m_in.data(), m_in_size, m_in_pos};
        ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
        const std::size_t left = ZSTD_decompressStream(m_dctx.get(), &out, &in);
        if (ZSTD_isError(left)) return fail(ErrorCode::verification, std::string("zstd: ") + ZSTD_getErrorName(left));
        m_in_pos = in.pos;
        m_frame_open = left != 0;
        m_out_pending = out.pos == out.size;  // zstd may hold more output for this input
        if (out.pos > 0) return hand_out(std::span<const std::byte>(m_out).first(out.pos));
    }
}

}  // namespace gapbundle::bundle::detail
