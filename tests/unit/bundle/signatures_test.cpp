#include "bundle_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::bundle {
namespace {

using test::make_key;

class SignaturesTest : public test::BundleTest {
protected:
    const std::string m_index = R"({"name":"signed bytes"})";

    TrustSet trust(std::initializer_list<const crypto::PublicKey*> keys) const
    {
        TrustSet set;
        for (const auto* key : keys) set.keys.push_back(*key);
        return set;
    }
    Signature sign(const test::Keypair& key, const std::string& bytes) const
    {
        auto signature = sign_index(key.key, bytes);
        EXPECT_TRUE(signature);
        return *signature;
    }
};

TEST_F(SignaturesTest, VerifiesSignature)
{
    const auto check = check_signatures(m_index, {sign(*m_signer, m_index)}, trust({&m_signer->pub}));
    EXPECT_TRUE(check.meets(1));
    EXPECT_EQ(check.trusted_signers, std::vector<std::string>{m_signer->pub.key_id()});
    EXPECT_TRUE(check.problems.empty());
}

TEST_F(SignaturesTest, RoundTripsJson)
{
    const std::vector<Signature> signatures{sign(*m_signer, m_index), sign(*m_other, m_index)};
    const auto json = signatures_to_json(signatures);
    EXPECT_EQ(json.front(), '[');
    EXPECT_NE(json.find(R"("alg":"ed25519")"), std::string::npos);
    auto parsed = parse_signatures(json);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, signatures);
    EXPECT_FALSE(parse_signatures(R"([{"keyid":1,"alg":"ed25519","sig":"x"}])"));
    EXPECT_FALSE(parse_signatures(R"({"keyid":"a"})"));
}

TEST_F(SignaturesTest, RejectsTamperedIndex)
{
    const auto signature = sign(*m_signer, m_index);
    const auto check = check_signatures(m_index + " ", {signature}, trust({&m_signer->pub}));
    EXPECT_FALSE(check.meets(1));
    EXPECT_EQ(check.problems, std::vector<std::string>{"bad signature by " + m_signer->pub.key_id()});
}

TEST_F(SignaturesTest, RejectsWrongKey)
{
    const auto check = check_signatures(m_index, {sign(*m_other, m_index)}, trust({&m_signer->pub}));
    EXPECT_FALSE(check.meets(1));
    EXPECT_EQ(check.problems, std::vector<std::string>{"untrusted key " + m_other->pub.key_id()});
}

TEST_F(SignaturesTest, RejectsWrongKeyClaimingTrustedKeyId)
{
    auto forged = sign(*m_other, m_index);
    forged.keyid = m_signer->pub.key_id();
    const auto check = check_signatures(m_index, {forged}, trust({&m_signer->pub}));
    EXPECT_FALSE(check.meets(1));
    EXPECT_EQ(check.problems, std::vector<std::string>{"bad signature by " + m_signer->pub.key_id()});
}

TEST_F(SignaturesTest, MissesThresholdTwoWithOneKey)
{
    const auto check = check_signatures(m_index, {sign(*m_signer, m_index)}, trust({&m_signer->pub, &m_other->pub}));
    EXPECT_TRUE(check.meets(1));
    EXPECT_FALSE(check.meets(2));
}

TEST_F(SignaturesTest, MeetsThresholdTwoWithTwoKeys)
{
    const auto check = check_signatures(m_index, {sign(*m_signer, m_index), sign(*m_other, m_index)},
                                        trust({&m_signer->pub, &m_other->pub}));
    EXPECT_TRUE(check.meets(2));
}

TEST_F(SignaturesTest, CountsSameKeyTwiceOnce)
{
    const auto signature = sign(*m_signer, m_index);
    const auto check = check_signatures(m_index, {signature, signature, sign(*m_signer, m_index)},
                                        trust({&m_signer->pub, &m_signer->pub}));
    EXPECT_EQ(check.trusted_signers.size(), 1u);
    EXPECT_FALSE(check.meets(2));
}

TEST_F(SignaturesTest, CountsSameKeyUnderTwoKeyIdsOnce)
{
    // The operator trusts the same public key from two files; a second signature entry with
    // another key id (unknown) must not add a signer either.
    auto renamed = sign(*m_signer, m_index);
    renamed.keyid = std::string(64, 'f');
    const auto check = check_signatures(m_index, {sign(*m_signer, m_index), renamed},
                                        trust({&m_signer->pub, &m_signer->pub}));
    EXPECT_EQ(check.trusted_signers.size(), 1u);
    EXPECT_FALSE(check.meets(2));
    EXPECT_EQ(check.problems, std::vector<std::string>{"untrusted key " + std::string(64, 'f')});
}

TEST_F(SignaturesTest, RejectsGarbageSignature)
{
    Signature bad;
    bad.keyid = m_signer->pub.key_id();
    bad.sig = "bm90IGEgc2lnbmF0dXJl";
    EXPECT_FALSE(check_signatures(m_index, {bad}, trust({&m_signer->pub})).meets(1));
}

TEST_F(SignaturesTest, LoadsTrustFromFilesAndFolders)
{
    test::write_pub(m_signer->pub, dir() / "keys" / "a.pub");
    test::write_pub(m_other->pub, dir() / "keys" / "b.pub");
    gapbundle::testing::write_text(dir() / "keys" / "README", "not a key");
    test::write_pub(m_other->pub, dir() / "single.pub");
    auto trust_set = load_trust({dir() / "keys", dir() / "single.pub"});
    ASSERT_TRUE(trust_set) << trust_set.error().message;
    EXPECT_EQ(trust_set->keys.size(), 3u);
}

TEST_F(SignaturesTest, RejectsMissingTrustPathAndEmptyFolder)
{
    auto missing = load_trust({dir() / "nope.pub"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::usage);
    EXPECT_EQ(missing.error().message, (dir() / "nope.pub").string() + ": no such trusted key file or folder");
    std::filesystem::create_directories(dir() / "empty");
    auto empty = load_trust({dir() / "empty"});
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message, (dir() / "empty").string() + ": no trusted keys (*.pub) in this folder");
}

}  // namespace
}  // namespace gapbundle::bundle
