#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/crypto/md5.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace gapbundle::crypto {
namespace {

class CryptoTest : public gapbundle::testing::TestDirFixture {};

TEST(Sha256Test, MatchesKnownVectors)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, StreamsInPiecesLikeOneShot)
{
    Sha256 hash;
    hash.update("a");
    hash.update("bc");
    EXPECT_EQ(hash.finish_hex(), sha256_hex("abc"));
    hash.update("abc");  // reset after finish
    EXPECT_EQ(hash.finish_hex(), sha256_hex("abc"));
}

TEST_F(CryptoTest, HashesFiles)
{
    gapbundle::testing::write_text(dir() / "f", "abc");
    auto digest = sha256_file(dir() / "f");
    ASSERT_TRUE(digest);
    EXPECT_EQ(digest->size, 3u);
    EXPECT_EQ(digest->sha256, sha256_hex("abc"));
    EXPECT_FALSE(sha256_file(dir() / "missing"));
}

TEST_F(CryptoTest, Md5OfFilesMatchesRfc1321Vectors)
{
    gapbundle::testing::write_text(dir() / "empty", "");
    gapbundle::testing::write_text(dir() / "abc", "abc");
    EXPECT_EQ(md5_file_hex(dir() / "empty").value_or(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_file_hex(dir() / "abc").value_or(""), "900150983cd24fb0d6963f7d28e17f72");
    auto missing = md5_file_hex(dir() / "missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::io);
}

TEST_F(CryptoTest, WritesKeypairWithPrivateKeyMode0600)
{
    auto pub = write_new_keypair(dir() / "k");
    ASSERT_TRUE(pub) << pub.error().message;
    struct stat st{};
    ASSERT_EQ(::stat((dir() / "k.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(pub->key_id().size(), 64u);
    auto loaded = PublicKey::load_pem_file(dir() / "k.pub");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->key_id(), pub->key_id());
    EXPECT_EQ(loaded->raw().size(), 32u);
}

TEST_F(CryptoTest, RefusesToOverwriteAKey)
{
    ASSERT_TRUE(write_new_keypair(dir() / "k"));
    const std::string before = gapbundle::testing::read_text(dir() / "k.key");
    auto again = write_new_keypair(dir() / "k");
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
    EXPECT_EQ(gapbundle::testing::read_text(dir() / "k.key"), before);
}

TEST_F(CryptoTest, SignsAndVerifies)
{
    ASSERT_TRUE(write_new_keypair(dir() / "k"));
    auto key = PrivateKey::load_pem_file(dir() / "k.key");
    ASSERT_TRUE(key);
    auto pub = key->public_key();
    ASSERT_TRUE(pub);
    auto sig = key->sign("message");
    ASSERT_TRUE(sig);
    EXPECT_EQ(sig->size(), 64u);
    EXPECT_TRUE(pub->verify("message", *sig));
    EXPECT_FALSE(pub->verify("messagE", *sig));
    auto flipped = *sig;
    flipped[10] ^= 1;
    EXPECT_FALSE(pub->verify("message", flipped));
    EXPECT_FALSE(pub->verify("message", std::span(sig->data(), 63)));
}

TEST_F(CryptoTest, KeyIdIsSha256OfSubjectPublicKeyInfoDer)
{
    // RFC 8032 test 1 public key d75a98…; its SPKI DER is the 12-byte Ed25519 prefix plus the key.
    const std::string pem =
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
    auto pub = PublicKey::from_pem(pem, "rfc8032");
    ASSERT_TRUE(pub) << pub.error().message;
    std::string der("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
    for (std::uint8_t b : pub->raw()) der.push_back(static_cast<char>(b));
    EXPECT_EQ(pub->key_id(), sha256_hex(der));
}

TEST_F(CryptoTest, RejectsNonKeys)
{
    gapbundle::testing::write_text(dir() / "bad.pub", "not a key");
    auto pub = PublicKey::load_pem_file(dir() / "bad.pub");
    ASSERT_FALSE(pub);
    EXPECT_NE(pub.error().message.find("bad.pub"), std::string::npos);
}

}  // namespace
}  // namespace gapbundle::crypto
