#pragma once

#include <gapbundle/bundle/unpacker.hpp>
#include <gapbundle/bundle/verifier.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace gapbundle::ops {

// The operator's trusted keys when no --trust is given: $GAPBUNDLE_TRUST_DIR, else
// /etc/gapbundle/trust.d.
std::filesystem::path default_trust_dir();
// Where the channel state lives: $GAPBUNDLE_STATE_DIR, else /var/lib/gapbundle.
std::filesystem::path default_state_dir();

struct TrustOptions {
    std::vector<std::filesystem::path> trust;  // .pub files or folders; empty: default_trust_dir()
    int threshold = 1;
    // What was accepted before, per channel (ops/channel_state.hpp); empty: no history is kept
    // or checked (tests of the bundle alone).
    std::filesystem::path state_dir;
    bool allow_downgrade = false;
    bool ignore_expiry = false;
    std::optional<std::string> channel;  // the only channel accepted (--channel)
};

Result<bundle::VerifyReport> verify(const std::filesystem::path& bundle, const TrustOptions& trust);

// After a successful unpack, the bundle becomes its channel's accepted one in trust.state_dir.
Result<bundle::UnpackReport> unpack(const std::filesystem::path& bundle, const std::filesystem::path& destination,
                                    const TrustOptions& trust, bundle::ExistingDestination existing);

// The index and signatures as the bundle states them, unverified.
Result<bundle::UnverifiedHead> inspect(const std::filesystem::path& bundle);

}  // namespace gapbundle::ops
