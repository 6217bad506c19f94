#include <gapbundle/crypto/sha256.hpp>

#include "file_chunks.hpp"
#include "ssl_handles.hpp"

#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/text.hpp>

#include <cerrno>
#include <fcntl.h>
#include <new>
#include <unistd.h>
#include <vector>

namespace gapbundle::crypto {

struct Sha256::Impl {
    UniqueMdCtx ctx{EVP_MD_CTX_new()};

    void init()
    {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
    }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>())
{
    m_impl->init();
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::byte> data)
{
    EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size());
}

void Sha256::update(std::string_view data)
{
    EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size());
}

Digest Sha256::finish()
{
    Digest digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_impl->ctx.get(), digest.data(), &length);
    m_impl->init();
    return digest;
}

std::string Sha256::finish_hex()
{
    const Digest digest = finish();
    return text::to_hex(digest);
}

std::string sha256_hex(std::string_view data)
{
    Sha256 hash;
    hash.update(data);
    return hash.finish_hex();
}

Result<FileDigest> sha256_file(const std::filesystem::path& path)
{
    Sha256 hash;
    FileDigest result;
    auto read = detail::read_file_chunks(path, {}, [&](std::span<const std::byte> chunk) {
        hash.update(chunk);
        result.size += chunk.size();
    });
    if (!read) return std::unexpected(read.error());
    result.sha256 = hash.finish_hex();
    return result;
}

}  // namespace gapbundle::crypto
