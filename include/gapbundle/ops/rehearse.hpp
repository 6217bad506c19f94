#pragma once

// `rehearse`: proves before the media leaves that a bundle installs with no network at all. It
// verifies and unpacks the bundle into a temporary folder, cuts the network (a namespace with
// loopback only), and runs each kind's check there.

#include <gapbundle/ops/check.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::ops {

enum class Verdict { passed, failed };

struct KindRehearsal {
    std::string kind;                   // "pip", "huggingface", "images", "conda", "helm"
    Verdict verdict = Verdict::passed;
    std::vector<std::string> checked;   // what was done, one line each
    std::vector<std::string> notes;     // what was not done, and why
    std::vector<std::string> problems;  // what is missing or broken, each naming it
};

struct RehearseOptions {
    std::filesystem::path bundle;
    TrustOptions trust;                // no state_dir: a rehearsal records no channel history
    std::filesystem::path work_parent;  // where the temporary folder goes; empty: the system's
    bool cut_network = true;           // false: run the checks with this host's network (--no-isolation)
};

struct RehearseResult {
    bundle::VerifyReport verify;  // when it is not ok, nothing else was done
    bool isolated = false;
    std::string isolation;  // "loopback only", or why the network could not be cut
    std::vector<KindRehearsal> kinds;  // in a fixed order, the kinds the bundle holds

    [[nodiscard]] bool passed() const;
};

// Errors: io for the temporary folder, and what unpack fails with. A bundle that does not verify,
// and missing pieces, are not errors but problems in the result.
Result<RehearseResult> rehearse(const RehearseOptions& options);

}  // namespace gapbundle::ops
