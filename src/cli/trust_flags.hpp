#pragma once

#include <gapbundle/ops/check.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace gapbundle::cli {

// Flags shared by the commands that check a bundle: --trust (repeatable) and --threshold.
struct TrustFlags {
    std::vector<std::string> trust;
    int threshold = 1;

    void add_to(CLI::App& command);
    [[nodiscard]] ops::TrustOptions options() const;
};

}  // namespace gapbundle::cli
