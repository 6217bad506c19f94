#include "output_files.hpp"

#include <gapbundle/bundle/volumes.hpp>

#include <algorithm>

namespace gapbundle::bundle::detail {

Result<OutputFiles> OutputFiles::single(const std::filesystem::path& path)
{
    auto file = fs::AtomicFile::create(path, 0644);
    if (!file) return std::unexpected(file.error());
    OutputFiles out;
    out.m_name = path;
    out.m_files.push_back(std::move(*file));
    return out;
}

OutputFiles OutputFiles::volumes(const std::filesystem::path& bundle, std::uint64_t split_size)
{
    OutputFiles out;
    out.m_name = bundle;
    out.m_split_size = split_size;
    return out;
}

Status OutputFiles::open_next_volume()
{
    if (!m_volumes.empty()) m_volumes.back().sha256 = m_hash.finish_hex();
    if (m_volumes.size() == k_max_volumes)
        return fail(ErrorCode::usage, m_name.string() + ": more than " + std::to_string(k_max_volumes) +
                                          " volumes: choose a larger --split-size");
    auto file = fs::AtomicFile::create(volume_path(m_name, m_volumes.size() + 1), 0644);
    if (!file) return std::unexpected(file.error());
    m_files.push_back(std::move(*file));
    m_volumes.push_back(Volume{});
    return {};
}

Status OutputFiles::write(std::span<const std::byte> data)
{
    if (m_split_size == 0) {
        if (auto st = fs::write_all(m_files.front().fd(), data); !st) return st;
        m_bytes += data.size();
        return {};
    }
    // Fewer than split_size bytes a volume: `--split-size 4G` then fits FAT32, whose files stop one
    // byte short of 4 GiB.
    const std::uint64_t capacity = m_split_size - 1;
    while (!data.empty()) {
        if (m_volumes.empty() || m_volumes.back().size == capacity) {
            if (auto st = open_next_volume(); !st) return st;
        }
        auto& volume = m_volumes.back();
        const auto piece = data.first(static_cast<std::size_t>(std::min<std::uint64_t>(capacity - volume.size, data.size())));
        if (auto st = fs::write_all(m_files.back().fd(), piece); !st) return st;
        m_hash.update(piece);
        volume.size += piece.size();
        m_bytes += piece.size();
        data = data.subspan(piece.size());
    }
    return {};
}

std::vector<Volume> OutputFiles::finish_volumes()
{
    if (!m_volumes.empty() && m_volumes.back().sha256.empty()) m_volumes.back().sha256 = m_hash.finish_hex();
    return m_volumes;
}

Status OutputFiles::commit()
{
    // Not fsynced, as tar and zstd do not: a bundle is checked whole wherever it is used (verify
    // hashes every byte against the signed index), and waiting for the disk doubled pack's time.
    for (auto& file : m_files)
        if (auto st = file.commit(fs::AtomicFile::Sync::rename_only); !st) return st;
    return {};
}

}  // namespace gapbundle::bundle::detail
