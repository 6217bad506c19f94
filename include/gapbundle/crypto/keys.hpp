#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace gapbundle::crypto {

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const noexcept;
};
using UniquePkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

class PublicKey {
public:
    static Result<PublicKey> load_pem_file(const std::filesystem::path& path);
    static Result<PublicKey> from_pem(std::string_view pem, std::string_view origin);

    // Hex SHA-256 of the SubjectPublicKeyInfo DER.
    [[nodiscard]] const std::string& key_id() const { return m_key_id; }
    [[nodiscard]] const std::vector<std::uint8_t>& raw() const { return m_raw; }  // 32 bytes
    [[nodiscard]] std::string to_pem() const;
    // Ed25519 over the exact bytes of `message`.
    [[nodiscard]] bool verify(std::string_view message, std::span<const std::uint8_t> signature) const;

private:
    explicit PublicKey(UniquePkey key);
    std::shared_ptr<EVP_PKEY> m_key;
    std::string m_key_id;
    std::vector<std::uint8_t> m_raw;
};

class PrivateKey {
public:
    static Result<PrivateKey> generate_ed25519();
    static Result<PrivateKey> load_pem_file(const std::filesystem::path& path);

    [[nodiscard]] Result<PublicKey> public_key() const;
    [[nodiscard]] Result<std::vector<std::uint8_t>> sign(std::string_view message) const;  // 64 bytes
    // PKCS#8 PEM, unencrypted.
    [[nodiscard]] Result<std::string> to_pem() const;

private:
    explicit PrivateKey(UniquePkey key);
    std::shared_ptr<EVP_PKEY> m_key;
};

// Writes PREFIX.key (0600, refuses to overwrite) and PREFIX.pub; returns the public key.
Result<PublicKey> write_new_keypair(const std::filesystem::path& prefix);

// Drains OpenSSL's error queue into one line.
std::string openssl_errors();

}  // namespace gapbundle::crypto
