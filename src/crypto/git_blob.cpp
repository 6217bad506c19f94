#include <gapbundle/crypto/git_blob.hpp>

#include "file_chunks.hpp"
#include "ssl_handles.hpp"

#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/text.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <new>
#include <stdexcept>
#include <optional>
#include <vector>

namespace gapbundle::crypto {

struct GitBlobHasher::Impl {
    UniqueMdCtx ctx{EVP_MD_CTX_new()};
    bool finished = false;
};

GitBlobHasher::GitBlobHasher(std::uint64_t size) : m_impl(std::make_unique<Impl>()), m_size(size)
{
    if (!m_impl->ctx || EVP_DigestInit_ex(m_impl->ctx.get(), EVP_sha1(), nullptr) != 1) throw std::bad_alloc();
    const std::string header = "blob " + std::to_string(size);
    // The header ends with its NUL byte.
    if (EVP_DigestUpdate(m_impl->ctx.get(), header.c_str(), header.size() + 1) != 1) throw std::bad_alloc();
}

GitBlobHasher::GitBlobHasher(GitBlobHasher&&) noexcept = default;
GitBlobHasher& GitBlobHasher::operator=(GitBlobHasher&&) noexcept = default;
GitBlobHasher::~GitBlobHasher() = default;

void GitBlobHasher::update(std::span<const std::byte> data)
{
    if (m_impl->finished) throw std::logic_error("GitBlobHasher::update after finish_hex");
    EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size());
    m_fed += data.size();
}

void GitBlobHasher::update(std::string_view data)
{
    update(std::as_bytes(std::span(data.data(), data.size())));
}

Result<std::string> GitBlobHasher::finish_hex()
{
    if (m_impl->finished) throw std::logic_error("GitBlobHasher::finish_hex called twice");
    m_impl->finished = true;
    if (m_fed != m_size)
        return fail(ErrorCode::download, "git blob hash: " + std::to_string(m_fed) + " bytes given for a blob of " +
                                             std::to_string(m_size) + " bytes");
    std::array<std::uint8_t, 20> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_impl->ctx.get(), digest.data(), &length) != 1 || length != digest.size())
        throw std::bad_alloc();
    return text::to_hex(digest);
}

std::string git_blob_sha1_hex(std::string_view content)
{
    GitBlobHasher hasher(content.size());
    hasher.update(content);
    return *hasher.finish_hex();  // the size is right by construction
}

Result<std::string> git_blob_sha1_file(const std::filesystem::path& path)
{
    std::optional<GitBlobHasher> hasher;
    auto read = detail::read_file_chunks(
        path, [&](std::uint64_t size) { hasher.emplace(size); },
        [&](std::span<const std::byte> chunk) { hasher->update(chunk); });
    if (!read) return std::unexpected(read.error());
    auto hex = hasher->finish_hex();
    if (!hex) return fail(ErrorCode::io, path.string() + ": changed while being read (" + hex.error().message + ")");
    return hex;
}

}  // namespace gapbundle::crypto
