// Detached Ed25519 signatures over index.json's exact bytes, and the distinct-key threshold count.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace gapbundle::bundle {

namespace {

using nlohmann::json;

inline constexpr std::size_t k_max_signatures = 64;

std::unexpected<Error> bad_signatures(std::string_view why)
{
    return fail(ErrorCode::verification, std::string(k_signatures_path) + ": " + std::string(why));
}

enum class Outcome { verified, bad, untrusted, unsupported };

Outcome check_one(std::string_view index_bytes, const Signature& signature, const TrustSet& trust,
                  const crypto::PublicKey*& signer)
{
    if (signature.alg != "ed25519") return Outcome::unsupported;
    bool known = false;
    auto raw = text::base64_decode(signature.sig);
    for (const auto& key : trust.keys) {
        if (key.key_id() != signature.keyid) continue;  // the key id is only a hint
        known = true;
        if (raw && raw->size() == 64 && key.verify(index_bytes, *raw)) {
            signer = &key;
            return Outcome::verified;
        }
    }
    return known ? Outcome::bad : Outcome::untrusted;
}

}  // namespace

std::string signatures_to_json(const std::vector<Signature>& signatures)
{
    json out = json::array();
    for (const auto& signature : signatures)
        out.push_back(json{{"keyid", signature.keyid}, {"alg", signature.alg}, {"sig", signature.sig}});
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::vector<Signature>> parse_signatures(std::string_view bytes)
{
    json doc;
    try {
        doc = json::parse(bytes);
    } catch (const json::exception& e) {
        return bad_signatures(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_array()) return bad_signatures("must be a JSON list");
    if (doc.size() > k_max_signatures) return bad_signatures("more than " + std::to_string(k_max_signatures) + " signatures");
    std::vector<Signature> signatures;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const auto& item = doc[i];
        const std::string where = "[" + std::to_string(i) + "]: ";
        if (!item.is_object() || item.size() != 3) return bad_signatures(where + "must be an object with keyid, alg and sig");
        for (const char* key : {"keyid", "alg", "sig"})
            if (!item.contains(key) || !item.at(key).is_string())
                return bad_signatures(where + "'" + key + "' must be a string");
        Signature signature;
        signature.keyid = item.at("keyid").get<std::string>();
        signature.alg = item.at("alg").get<std::string>();
        signature.sig = item.at("sig").get<std::string>();
        signatures.push_back(std::move(signature));
    }
    return signatures;
}

Result<Signature> sign_index(const crypto::PrivateKey& key, std::string_view index_bytes)
{
    auto pub = key.public_key();
    if (!pub) return std::unexpected(pub.error());
    auto raw = key.sign(index_bytes);
    if (!raw) return std::unexpected(raw.error());
    Signature signature;
    signature.keyid = pub->key_id();
    signature.sig = text::base64_encode(*raw);
    return signature;
}

SignatureCheck check_signatures(std::string_view index_bytes, const std::vector<Signature>& signatures,
                                const TrustSet& trust)
{
    SignatureCheck check;
    std::set<std::vector<std::uint8_t>> counted;  // raw public keys: distinct keys, not key ids
    for (const auto& signature : signatures) {
        const crypto::PublicKey* signer = nullptr;
        switch (check_one(index_bytes, signature, trust, signer)) {
        case Outcome::verified:
            if (counted.insert(signer->raw()).second) check.trusted_signers.push_back(signer->key_id());
            break;
        case Outcome::bad:
            check.problems.push_back("bad signature by " + signature.keyid);
            break;
        case Outcome::untrusted:
            check.problems.push_back("untrusted key " + signature.keyid);
            break;
        case Outcome::unsupported:
            check.problems.push_back("unsupported algorithm '" + signature.alg + "' by " + signature.keyid);
            break;
        }
    }
    return check;
}

}  // namespace gapbundle::bundle
