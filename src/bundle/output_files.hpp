#pragma once

// Where a bundle's bytes go (private to the bundle layer): one file, or volumes of fewer than
// `split_size` bytes (BUNDLE.001, BUNDLE.002, …), each hashed as it is written. Nothing appears
// under the final names before commit(); without it, destruction removes every temporary file.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/fs.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace gapbundle::bundle::detail {

class OutputFiles {
public:
    static Result<OutputFiles> single(const std::filesystem::path& path);
    // Volumes are opened as the bytes come: a stream that ends on a volume boundary makes no
    // empty volume after it.
    static OutputFiles volumes(const std::filesystem::path& bundle, std::uint64_t split_size);

    Status write(std::span<const std::byte> data);
    // The volumes written, with their sizes and hashes (volumes only; once, after the last write).
    std::vector<Volume> finish_volumes();
    Status commit();  // renames every file to its final name, in order
    [[nodiscard]] const std::filesystem::path& name() const { return m_name; }
    [[nodiscard]] std::uint64_t bytes() const { return m_bytes; }

private:
    OutputFiles() = default;
    Status open_next_volume();

    std::filesystem::path m_name;  // the file, or the bundle name the volumes are numbered after
    std::uint64_t m_split_size = 0;  // 0: one file
    std::vector<fs::AtomicFile> m_files;
    std::vector<Volume> m_volumes;
    crypto::Sha256 m_hash;           // of the volume being written
    std::uint64_t m_bytes = 0;
};

}  // namespace gapbundle::bundle::detail
