#include "commands.hpp"
#include "engine_flags.hpp"
#include "output.hpp"

#include <gapbundle/ops/lock.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {
struct LockFlags {
    std::string manifest;
    std::string output;
    EngineFlags engine;
};
}  // namespace

CommandRunner add_lock(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("lock", "Resolve a manifest to exact artifacts (a JSON lock file)");
    auto flags = std::make_shared<LockFlags>();
    command->add_option("manifest", flags->manifest, "Manifest (YAML)")->required();
    command->add_option("-o,--output", flags->output, "Lock file (default gapbundle.lock.json beside the manifest)");
    flags->engine.add_to(*command);
    return [&global, flags] {
        ProgressPrinter progress(global);
        ops::LockOptions options;
        options.manifest = flags->manifest;
        if (!flags->output.empty()) options.output = flags->output;
        options.cache_dir = flags->engine.cache_path();
        options.engine = flags->engine.engine_options();
        options.progress = progress.callback();
        auto result = ops::lock(options);
        if (!result) return report_error(global, "lock", result.error());
        std::uint64_t bytes = 0;
        for (const auto& artifact : result->lock.artifacts) bytes += artifact.size;
        if (global.json)
            print_json({{"command", "lock"},
                        {"result", "ok"},
                        {"lock", result->written.string()},
                        {"artifacts", result->lock.artifacts.size()},
                        {"bytes", bytes}});
        else
            std::printf("locked %zu artifacts (%llu bytes) in %s\n", result->lock.artifacts.size(),
                        static_cast<unsigned long long>(bytes), result->written.c_str());
        return 0;
    };
}

}  // namespace gapbundle::cli
