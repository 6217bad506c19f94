#include <gapbundle/crypto/md5.hpp>

#include "file_chunks.hpp"
#include "ssl_handles.hpp"

#include <gapbundle/util/text.hpp>

#include <array>
#include <new>

namespace gapbundle::crypto {

Result<std::string> md5_file_hex(const std::filesystem::path& path)
{
    UniqueMdCtx ctx{EVP_MD_CTX_new()};
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1) throw std::bad_alloc();
    auto read = detail::read_file_chunks(path, {}, [&](std::span<const std::byte> chunk) {
        EVP_DigestUpdate(ctx.get(), chunk.data(), chunk.size());
    });
    if (!read) return std::unexpected(read.error());
    std::array<std::uint8_t, 16> digest{};
    unsigned length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
    return text::to_hex(digest);
}

}  // namespace gapbundle::crypto
