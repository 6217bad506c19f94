#include "tar_source.hpp"

#include <gapbundle/util/fs.hpp>

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>

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
    for (;;) {
        if (m_in_eof) {
            if (m_next_volume == m_volumes.size()) return 0;
            if (auto st = open_next_volume(); !st) return std::unexpected(st.error());
        }
        auto got = fs::read_some(m_fd.get(), std::span(m_in));
        if (!got) return std::unexpected(got.error().context(m_in_volume ? m_volumes[m_next_volume - 1].path.string() : m_name));
        if (*got < m_in.size()) m_in_eof = true;
        if (m_in_volume) {
            if (auto st = m_volume_hasher->append(std::span(m_in).first(*got)); !st) return std::unexpected(st.error());
            m_volume_bytes += *got;
            if (m_in_eof || m_volume_bytes > m_volumes[m_next_volume - 1].expected.size) {
                if (auto st = check_volume_end(); !st) return std::unexpected(st.error());
            }
        }
        if (*got > 0) {
            m_in_size = *got;
            return m_in_size;
        }
    }
}

void TarSource::chain_volumes(std::vector<VolumeFile> volumes)
{
    m_volumes = std::move(volumes);
    m_next_volume = 0;
    // Hashed on a thread of its own: verify hashes every entry on this one, and on 2 cores the two
    // hashes of each byte then take no longer than one.
    m_volume_hasher = std::make_unique<BlockQueue>(
        [this](std::span<const std::byte> block) -> Status {
            m_volume_hash.update(block);
            return {};
        },
        k_blocks_in_flight);
}

Status TarSource::volume_failed(std::string message)
{
    const auto& volume = m_volumes[m_next_volume - 1];
    message = volume.path.string() + ": " + message + " (volume " + std::to_string(m_next_volume) + " of " +
              std::to_string(m_volumes.size()) + " after the head)";
    m_volume_problem = HeaderProblem{volume.path.string(), "volume", message};
    return fail(ErrorCode::verification, message);
}

Status TarSource::open_next_volume()
{
    const auto& volume = m_volumes[m_next_volume++];
    m_in_volume = true;
    m_volume_bytes = 0;
    m_volume_checked = false;
    UniqueFd fd(::open(volume.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return volume_failed(std::string("cannot open: ") + errno_text(errno));
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    m_fd = std::move(fd);
    m_in_eof = false;
    return {};
}

// At the end of a volume (or once it has more bytes than the index says).
Status TarSource::check_volume_end()
{
    const auto& expected = m_volumes[m_next_volume - 1].expected;
    m_volume_checked = true;
    if (m_volume_bytes != expected.size)
        return volume_failed((m_volume_bytes > expected.size ? "more than " : "") + std::to_string(m_volume_bytes) +
                             " bytes, the index says " + std::to_string(expected.size));
    if (auto st = m_volume_hasher->finish(); !st) return st;
    // Every block is hashed: the hasher's thread waits for the next one, and does not touch it.
    if (const auto actual = m_volume_hash.finish_hex(); actual != expected.sha256)
        return volume_failed("sha256 " + actual + ", the index says " + expected.sha256 +
                             " (a damaged volume, or another one in its place)");
    return {};
}

void TarSource::check_rest_of_volume()
{
    if (!m_in_volume || m_volume_checked) return;
    while (!m_in_eof) {
        auto got = fs::read_some(m_fd.get(), std::span(m_in));
        if (!got) return;
        if (*got < m_in.size()) m_in_eof = true;
        if (!m_volume_hasher->append(std::span(m_in).first(*got))) return;
        m_volume_bytes += *got;
    }
    m_in_pos = m_in_size = 0;
    (void)check_volume_end();
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
