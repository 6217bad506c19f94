#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/ops/release_store.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct GcFlags {
    std::string store;
    unsigned keep = 0;
};

nlohmann::json paths_json(const std::vector<std::filesystem::path>& paths)
{
    auto list = nlohmann::json::array();
    for (const auto& path : paths) list.push_back(path.string());
    return list;
}

}  // namespace

CommandRunner add_gc(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("gc", "Remove the releases of a release store that current/ no longer uses");
    auto flags = std::make_shared<GcFlags>();
    command->add_option("--store", flags->store, "Release store (as given to unpack --store)")->required();
    command->add_option("--keep", flags->keep, "Previous releases to keep per channel, newest first")
        ->capture_default_str();
    return [&global, flags] {
        auto report = ops::gc_store(flags->store, flags->keep);
        if (!report) return report_error(global, "gc", report.error());
        if (global.json) {
            print_json({{"command", "gc"},
                        {"result", "ok"},
                        {"store", flags->store},
                        {"removed", paths_json(report->removed)},
                        {"kept", paths_json(report->kept)}});
        } else {
            for (const auto& path : report->removed) std::printf("removed %s\n", path.c_str());
            std::printf("OK %s: %zu release(s) removed, %zu kept\n", flags->store.c_str(), report->removed.size(),
                        report->kept.size());
        }
        return 0;
    };
}

}  // namespace gapbundle::cli
