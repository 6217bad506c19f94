#pragma once

#include <gapbundle/net/http_engine.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace gapbundle::cli {

// Flags shared by the commands that download: --jobs, --retries, --timeout, --range-mib,
// --cache-dir, --ca-bundle.
struct EngineFlags {
    int jobs = 4;
    int retries = 5;
    int stall_timeout = 30;
    int range_mib = 16;  // byte ranges of big files; 0 fetches every file in one request
    std::string cache_dir;
    std::string ca_bundle;

    void add_to(CLI::App& command);
    [[nodiscard]] net::EngineOptions engine_options() const;
    [[nodiscard]] std::filesystem::path cache_path() const;
};

}  // namespace gapbundle::cli
