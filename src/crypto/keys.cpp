#include <gapbundle/crypto/keys.hpp>

#include "ssl_handles.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace gapbundle::crypto {

void PkeyDeleter::operator()(EVP_PKEY* key) const noexcept
{
    EVP_PKEY_free(key);
}

std::string openssl_errors()
{
    std::string out;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!out.empty()) out += "; ";
        out += buffer;
    }
    return out.empty() ? "unknown OpenSSL error" : out;
}

namespace {

std::string bio_to_string(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(length));
}

std::unexpected<Error> ssl_fail(ErrorCode code, std::string what)
{
    return fail(code, std::move(what) + ": " + openssl_errors());
}

}  // namespace

PublicKey::PublicKey(UniquePkey key) : m_key(key.release(), PkeyDeleter{})
{
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(m_key.get(), &der);
    if (length > 0) {
        m_key_id = sha256_hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)));
        OPENSSL_free(der);
    }
    std::size_t raw_length = 0;
    if (EVP_PKEY_get_raw_public_key(m_key.get(), nullptr, &raw_length) == 1) {
        m_raw.resize(raw_length);
        EVP_PKEY_get_raw_public_key(m_key.get(), m_raw.data(), &raw_length);
    }
}

Result<PublicKey> PublicKey::from_pem(std::string_view pem, std::string_view origin)
{
    UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    UniquePkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) return ssl_fail(ErrorCode::usage, std::string(origin) + ": not a PEM public key");
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return fail(ErrorCode::usage, std::string(origin) + ": not an Ed25519 public key");
    return PublicKey(std::move(key));
}

Result<PublicKey> PublicKey::load_pem_file(const std::filesystem::path& path)
{
    auto pem = fs::read_small_file(path, 64 * 1024);
    if (!pem) return std::unexpected(pem.error());
    return from_pem(*pem, path.string());
}

std::string PublicKey::to_pem() const
{
    UniqueBio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), m_key.get());
    return bio_to_string(bio.get());
}

bool PublicKey::verify(std::string_view message, std::span<const std::uint8_t> signature) const
{
    if (signature.size() != 64) return false;
    UniqueMdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1) {
        ERR_clear_error();
        return false;
    }
    const int ok = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                    reinterpret_cast<const unsigned char*>(message.data()), message.size());
    ERR_clear_error();
    return ok == 1;
}

PrivateKey::PrivateKey(UniquePkey key) : m_key(key.release(), PkeyDeleter{}) {}

Result<PrivateKey> PrivateKey::generate_ed25519()
{
    UniquePkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
        return ssl_fail(ErrorCode::internal, "Ed25519 key generation failed");
    return PrivateKey(UniquePkey(raw));
}

Result<PrivateKey> PrivateKey::load_pem_file(const std::filesystem::path& path)
{
    auto pem = fs::read_small_file(path, 64 * 1024);
    if (!pem) return std::unexpected(pem.error());
    UniqueBio bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
    UniquePkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) return ssl_fail(ErrorCode::usage, path.string() + ": not a PEM private key");
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return fail(ErrorCode::usage, path.string() + ": not an Ed25519 private key");
    return PrivateKey(std::move(key));
}

Result<PublicKey> PrivateKey::public_key() const
{
    UniqueBio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1) return ssl_fail(ErrorCode::internal, "public key export");
    return PublicKey::from_pem(bio_to_string(bio.get()), "generated key");
}

Result<std::vector<std::uint8_t>> PrivateKey::sign(std::string_view message) const
{
    UniqueMdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1)
        return ssl_fail(ErrorCode::internal, "signing");
    std::vector<std::uint8_t> signature(64);
    std::size_t length = signature.size();
    if (EVP_DigestSign(ctx.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
        return ssl_fail(ErrorCode::internal, "signing");
    signature.resize(length);
    return signature;
}

Result<std::string> PrivateKey::to_pem() const
{
    UniqueBio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return ssl_fail(ErrorCode::internal, "private key export");
    return bio_to_string(bio.get());
}

Result<PublicKey> write_new_keypair(const std::filesystem::path& prefix)
{
    const std::filesystem::path key_path = prefix.string() + ".key";
    const std::filesystem::path pub_path = prefix.string() + ".pub";
    for (const auto& path : {key_path, pub_path})
        if (std::error_code ec; std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found)
            return fail(ErrorCode::usage, path.string() + ": already exists (refusing to overwrite)");
    auto key = PrivateKey::generate_ed25519();
    if (!key) return std::unexpected(key.error());
    auto pem = key->to_pem();
    if (!pem) return std::unexpected(pem.error());
    auto pub = key->public_key();
    if (!pub) return std::unexpected(pub.error());
    // 0600 from the first byte: the temp file is created with that mode before anything is written.
    auto key_file = fs::AtomicFile::create(key_path, 0600, fs::AtomicFile::Overwrite::refuse);
    if (!key_file) return std::unexpected(key_file.error());
    if (auto st = key_file->write(*pem); !st) return std::unexpected(st.error());
    if (auto st = key_file->commit(); !st) return std::unexpected(st.error());
    auto pub_file = fs::AtomicFile::create(pub_path, 0644, fs::AtomicFile::Overwrite::refuse);
    if (!pub_file) return std::unexpected(pub_file.error());
    if (auto st = pub_file->write(pub->to_pem()); !st) return std::unexpected(st.error());
    if (auto st = pub_file->commit(); !st) return std::unexpected(st.error());
    return pub;
}

}  // namespace gapbundle::crypto
