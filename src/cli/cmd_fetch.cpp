#include "commands.hpp"
#include "engine_flags.hpp"
#include "output.hpp"

#include <gapbundle/ops/lock.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {
struct FetchFlags {
    std::string manifest;
    std::string lock;
    EngineFlags engine;
};
}  // namespace

CommandRunner add_fetch(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("fetch", "Download everything a manifest (or its lock) needs into the cache");
    auto flags = std::make_shared<FetchFlags>();
    command->add_option("manifest", flags->manifest, "Manifest (YAML)")->required();
    command->add_option("--lock", flags->lock, "Fetch what this lock file lists instead of resolving again");
    flags->engine.add_to(*command);
    return [&global, flags] {
        ProgressPrinter progress(global);
        ops::FetchOptions options;
        options.manifest = flags->manifest;
        if (!flags->lock.empty()) options.lock = flags->lock;
        options.cache_dir = flags->engine.cache_path();
        options.engine = flags->engine.engine_options();
        options.progress = progress.callback();
        auto result = ops::fetch(options);
        if (!result) return report_error(global, "fetch", result.error());
        if (global.json)
            print_json({{"command", "fetch"},
                        {"result", "ok"},
                        {"artifacts", result->artifacts},
                        {"bytes", result->bytes},
                        {"downloaded", result->fetch.downloaded},
                        {"cached", result->fetch.cached},
                        {"bytes_downloaded", result->fetch.bytes_downloaded}});
        else
            std::printf("%zu artifacts (%s) in the cache: %zu downloaded (%s), %zu were there\n", result->artifacts,
                        text::human_bytes(result->bytes).c_str(), result->fetch.downloaded,
                        text::human_bytes(result->fetch.bytes_downloaded).c_str(), result->fetch.cached);
        return 0;
    };
}

}  // namespace gapbundle::cli
