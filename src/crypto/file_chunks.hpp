#pragma once

// Reads a file start to end in 1 MiB chunks, for the hashers. Private to the crypto layer.

#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>

namespace gapbundle::crypto::detail {

// Calls `on_size` (when given) with the file's size before the first chunk, then `on_chunk` for
// each chunk. ErrorCode::io naming the file when it cannot be opened or read, or (when the size
// is asked for) is not a regular file.
Status read_file_chunks(const std::filesystem::path& path, const std::function<void(std::uint64_t)>& on_size,
                        const std::function<void(std::span<const std::byte>)>& on_chunk);

}  // namespace gapbundle::crypto::detail
