#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace gapbundle::cli {

struct GlobalOptions {
    int verbose = 0;
    bool quiet = false;
    bool json = false;
};

// A parsed command: runs its operation, prints, returns the exit status.
using CommandRunner = std::function<int()>;

CommandRunner add_keygen(CLI::App& app, const GlobalOptions& global);
CommandRunner add_lock(CLI::App& app, const GlobalOptions& global);
CommandRunner add_fetch(CLI::App& app, const GlobalOptions& global);
CommandRunner add_pack(CLI::App& app, const GlobalOptions& global);
CommandRunner add_inspect(CLI::App& app, const GlobalOptions& global);
CommandRunner add_diff(CLI::App& app, const GlobalOptions& global);
CommandRunner add_report(CLI::App& app, const GlobalOptions& global);
CommandRunner add_rehearse(CLI::App& app, const GlobalOptions& global);
CommandRunner add_verify(CLI::App& app, const GlobalOptions& global);
CommandRunner add_unpack(CLI::App& app, const GlobalOptions& global);
CommandRunner add_install(CLI::App& app, const GlobalOptions& global);
CommandRunner add_gc(CLI::App& app, const GlobalOptions& global);
CommandRunner add_audit(CLI::App& app, const GlobalOptions& global);

}  // namespace gapbundle::cli
