// Ed25519 as gapbundle uses it (OpenSSL through crypto::PublicKey/PrivateKey), held to RFC 8032's
// test vectors (section 7.1) and to signatures a forger would try: malleated, cut, lengthened.
#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/util/text.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace gapbundle::crypto {
namespace {

struct Vector {
    const char* secret;
    const char* public_key;
    const char* message;
    const char* signature;
};

// RFC 8032, 7.1: TEST 1, 2 and 3.
constexpr Vector k_vectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

std::vector<std::uint8_t> bytes(const std::string& hex)
{
    std::vector<std::uint8_t> out(hex.size() / 2);
    EXPECT_TRUE(text::from_hex(hex, out)) << hex;
    return out;
}

std::string as_text(const std::vector<std::uint8_t>& data)
{
    return std::string(data.begin(), data.end());
}

// PEM files of the raw keys, as keygen would write them, through OpenSSL's own encoders.
class Rfc8032Test : public gapbundle::testing::TestDirFixture {
protected:
    std::filesystem::path write_pem(const std::string& name, const std::vector<std::uint8_t>& raw, bool secret)
    {
        EVP_PKEY* key = secret ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size())
                               : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
        EXPECT_NE(key, nullptr);
        const auto path = dir() / name;
        std::FILE* out = std::fopen(path.c_str(), "w");
        EXPECT_NE(out, nullptr);
        if (secret) PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
        else PEM_write_PUBKEY(out, key);
        std::fclose(out);
        EVP_PKEY_free(key);
        return path;
    }
};

TEST_F(Rfc8032Test, SignsAndVerifiesTheVectorsExactly)
{
    for (const auto& v : k_vectors) {
        auto priv = PrivateKey::load_pem_file(write_pem("k.key", bytes(v.secret), true));
        ASSERT_TRUE(priv) << priv.error().message;
        auto pub = PublicKey::load_pem_file(write_pem("k.pub", bytes(v.public_key), false));
        ASSERT_TRUE(pub) << pub.error().message;
        EXPECT_EQ(pub->raw(), bytes(v.public_key));
        const std::string message = as_text(bytes(v.message));
        auto signature = priv->sign(message);
        ASSERT_TRUE(signature);
        EXPECT_EQ(*signature, bytes(v.signature)) << v.secret;
        EXPECT_TRUE(pub->verify(message, bytes(v.signature)));
    }
}

TEST_F(Rfc8032Test, RefusesMalleatedCutAndLengthenedSignatures)
{
    const auto& v = k_vectors[1];
    auto pub = PublicKey::load_pem_file(write_pem("k.pub", bytes(v.public_key), false));
    ASSERT_TRUE(pub);
    const std::string message = as_text(bytes(v.message));
    const auto good = bytes(v.signature);
    ASSERT_TRUE(pub->verify(message, good));

    // S + L (the group order), which verifies under a lax check: RFC 8032 requires S < L.
    const auto order = bytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");  // little-endian
    auto malleated = good;
    unsigned carry = 0;
    for (std::size_t i = 0; i < 32; ++i) {
        const unsigned sum = malleated[32 + i] + order[i] + carry;
        malleated[32 + i] = static_cast<std::uint8_t>(sum & 0xff);
        carry = sum >> 8;
    }
    EXPECT_FALSE(pub->verify(message, malleated));

    auto flipped = good;
    flipped[5] ^= 0x01;
    EXPECT_FALSE(pub->verify(message, flipped));
    EXPECT_FALSE(pub->verify(message, std::vector<std::uint8_t>(good.begin(), good.end() - 1)));
    auto longer = good;
    longer.push_back(0);
    EXPECT_FALSE(pub->verify(message, longer));
    EXPECT_FALSE(pub->verify(message, {}));
    EXPECT_FALSE(pub->verify(message + "x", good));
}

}  // namespace
}  // namespace gapbundle::crypto
