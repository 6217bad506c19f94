#pragma once

#include "commands.hpp"
#include "run_metrics.hpp"

#include <gapbundle/bundle/verifier.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace gapbundle::cli {

// --metrics-file PATH, shared by pack, verify and unpack.
struct MetricsFlag {
    std::string path;

    void add_to(CLI::App& command);
    // Runs `body`, which sets what it learns, then writes the metrics file (when asked) whether
    // body succeeded or not. Returns body's exit status; when only the metrics file failed, the
    // status of that error (4). The metrics error is printed on stderr only, so that --json
    // still prints one document.
    int run(std::string_view command, const std::function<int(RunMetrics&)>& body) const;
};

// What verify and unpack learnt, passed or failed: the bundle's channel and entries once its index
// was read, the payload bytes checked.
void set_report_metrics(RunMetrics& metrics, const bundle::VerifyReport& report);

}  // namespace gapbundle::cli
