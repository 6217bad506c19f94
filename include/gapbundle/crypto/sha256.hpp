#pragma once

#include <gapbundle/util/error.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace gapbundle::crypto {

using Digest = std::array<std::uint8_t, 32>;

// Streaming SHA-256 over OpenSSL EVP.
class Sha256 {
public:
    Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    ~Sha256();

    void update(std::span<const std::byte> data);
    void update(std::string_view data);
    Digest finish();           // the object is reset afterwards
    std::string finish_hex();  // lowercase hex

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::string sha256_hex(std::string_view data);
// Streams the file through SHA-256; returns hex and size.
struct FileDigest {
    std::string sha256;
    std::uint64_t size = 0;
};
Result<FileDigest> sha256_file(const std::filesystem::path& path);

}  // namespace gapbundle::crypto
