#pragma once

#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::bundle {

struct Signature {
    std::string keyid;
    std::string alg = "ed25519";
    std::string sig;  // base64 of the 64-byte raw Ed25519 signature over index.json's exact bytes

    bool operator==(const Signature&) const = default;
};

std::string signatures_to_json(const std::vector<Signature>& signatures);  // canonical JSON list
Result<std::vector<Signature>> parse_signatures(std::string_view bytes);

Result<Signature> sign_index(const crypto::PrivateKey& key, std::string_view index_bytes);

// The operator's trusted keys: .pub files, or folders whose *.pub files are all loaded.
struct TrustSet {
    std::vector<crypto::PublicKey> keys;
};
Result<TrustSet> load_trust(const std::vector<std::filesystem::path>& paths);

struct SignatureCheck {
    std::vector<std::string> trusted_signers;  // distinct key ids whose signature verified
    std::vector<std::string> problems;         // "bad signature by <keyid>", "untrusted key <keyid>", ...
    bool meets(int threshold) const { return static_cast<int>(trusted_signers.size()) >= threshold; }
};
// Counts distinct trusted public keys (not signature entries or key ids) that signed `index_bytes`.
SignatureCheck check_signatures(std::string_view index_bytes, const std::vector<Signature>& signatures,
                                const TrustSet& trust);

}  // namespace gapbundle::bundle
