#pragma once

#include <gapbundle/ops/check.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace gapbundle::cli {

// Flags shared by the commands that check a bundle: --trust (repeatable; default the trust
// folder), --threshold, --state-dir, --allow-downgrade, --ignore-expiry and --channel.
struct TrustFlags {
    std::vector<std::string> trust;
    int threshold = 1;
    std::string state_dir = ops::default_state_dir().string();
    bool allow_downgrade = false;
    bool ignore_expiry = false;
    std::string channel;

    void add_to(CLI::App& command);
    [[nodiscard]] ops::TrustOptions options() const;
};

}  // namespace gapbundle::cli
