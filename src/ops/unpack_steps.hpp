#pragma once

#include <gapbundle/ops/check.hpp>

namespace gapbundle::ops {

// The steps of unpack, for the release store (release_store.cpp), which puts its own step (the
// switch of current/<channel>) between the tree landing and the channel state moving on.
Result<bundle::VerifyOptions> verify_options(const TrustOptions& trust);
// Settles the anchors killed runs left (channel_state.hpp) before anything is decided.
Result<bundle::UnpackReport> unpack_unrecorded(const std::filesystem::path& bundle,
                                               const std::filesystem::path& destination, const TrustOptions& trust,
                                               bundle::ExistingDestination existing, bundle::BeforeMove before_move = {},
                                               std::filesystem::path base_tree = {});
// Records an unpacked bundle as its channel's accepted one and clears its roll-forward anchor
// (when trust.state_dir is set).
Status record_unpacked(const TrustOptions& trust, const bundle::VerifyReport& report,
                       const std::filesystem::path& destination);

// Appends the run's record to the audit log in trust.state_dir (when set); a log that cannot be
// written becomes a note on the report.
void audit(const TrustOptions& trust, const std::string& command, const std::filesystem::path& subject,
           bundle::VerifyReport* report, const std::optional<Error>& error);

}  // namespace gapbundle::ops
