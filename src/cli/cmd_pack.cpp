#include "commands.hpp"
#include "engine_flags.hpp"
#include "metrics_flag.hpp"
#include "output.hpp"

#include <gapbundle/bundle/volumes.hpp>
#include <gapbundle/ops/pack.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct PackFlags {
    std::string manifest;
    std::vector<std::string> keys;
    std::string output;
    std::string lock;
    std::string compression;
    std::string base;
    std::string split_size;
    EngineFlags engine;
    MetricsFlag metrics;
};

// The payload volumes after the first (head) one, as the index lists them, with their file names.
nlohmann::json volumes_json(const ops::PackResult& result)
{
    auto list = nlohmann::json::array();
    if (result.volumes.empty()) return list;
    const auto set = bundle::volume_set_of(result.output);
    for (std::size_t i = 0; i < result.volumes.size(); ++i)
        list.push_back({{"path", bundle::volume_path(set.value_or(result.output), i + 1).string()},
                        {"size", result.volumes[i].size},
                        {"sha256", result.volumes[i].sha256}});
    return list;
}

nlohmann::json pack_json(const ops::PackResult& result)
{
    return {{"command", "pack"},
            {"result", "ok"},
            {"bundle", result.output.string()},
            {"name", result.name},
            {"serial", result.serial},
            {"created", result.created},
            {"index_sha256", result.index_sha256},
            {"key_ids", result.key_ids},
            {"files", result.files},
            {"payload_bytes", result.payload_bytes},
            {"bundle_bytes", result.bundle_bytes},
            {"downloaded", result.fetch.downloaded},
            {"cached", result.fetch.cached},
            {"bytes_downloaded", result.fetch.bytes_downloaded},
            {"base_serial", result.base_serial ? nlohmann::json(*result.base_serial) : nlohmann::json()},
            {"files_from_base", result.files_from_base},
            {"volumes", volumes_json(result)}};
}

int run_pack(const GlobalOptions& global, const PackFlags& flags, RunMetrics& metrics)
{
    ProgressPrinter progress(global);
    ops::PackOptions options;
    options.manifest = flags.manifest;
    options.keys.assign(flags.keys.begin(), flags.keys.end());
    options.output = flags.output;
    if (!flags.lock.empty()) options.lock = flags.lock;
    if (!flags.base.empty()) options.base = flags.base;
    if (!flags.split_size.empty()) {
        const auto size = text::parse_byte_size(flags.split_size);
        if (!size || *size < bundle::k_min_split_size)
            return report_error(global, "pack",
                                Error{ErrorCode::usage, "--split-size " + flags.split_size +
                                                            ": expected a size of at least 64K, such as 4G or 700M"});
        options.split_size = *size;
    }
    if (!flags.compression.empty())
        options.compression = flags.compression == "zstd" ? bundle::Compression::zstd : bundle::Compression::none;
    options.cache_dir = flags.engine.cache_path();
    options.engine = flags.engine.engine_options();
    options.progress = progress.callback();
    auto result = ops::pack(options);
    if (!result) return report_error(global, "pack", result.error());
    metrics.set_channel(result->channel);
    metrics.set(Metric::bytes, result->payload_bytes);
    metrics.set(Metric::entries, static_cast<std::uint64_t>(result->entries));
    metrics.set(Metric::bytes_downloaded, result->fetch.bytes_downloaded);
    metrics.set(Metric::cache_hits, static_cast<std::uint64_t>(result->fetch.cached));
    if (global.json) {
        print_json(pack_json(*result));
    } else {
        std::printf("wrote %s: %s serial %llu, %zu files, %s payload, %s on disk\n", result->output.c_str(),
                    result->name.c_str(), static_cast<unsigned long long>(result->serial), result->files,
                    text::human_bytes(result->payload_bytes).c_str(), text::human_bytes(result->bundle_bytes).c_str());
        std::printf("downloaded %zu (%s), %zu from cache; signed by %zu key(s)\n", result->fetch.downloaded,
                    text::human_bytes(result->fetch.bytes_downloaded).c_str(), result->fetch.cached,
                    result->key_ids.size());
        if (!result->volumes.empty())
            std::printf("in %zu volumes: the head %s, then %zu of fewer than %s each (give verify and unpack the "
                        "first)\n",
                        result->volumes.size() + 1, result->output.c_str(), result->volumes.size(),
                        text::human_bytes(*options.split_size).c_str());
        if (result->base_serial)
            std::printf("a delta on serial %llu: %zu files left to that release\n",
                        static_cast<unsigned long long>(*result->base_serial), result->files_from_base);
    }
    return 0;
}

}  // namespace

CommandRunner add_pack(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("pack", "Download what a manifest lists and write one signed bundle");
    auto flags = std::make_shared<PackFlags>();
    command->add_option("manifest", flags->manifest, "Manifest (YAML)")->required();
    command->add_option("-k,--key", flags->keys, "Signing key (PEM); repeat for several signatures")->required();
    command->add_option("-o,--output", flags->output, "Bundle to write (.tar or .tar.zst)")->required();
    command->add_option("--lock", flags->lock, "Build from this lock file instead of resolving again");
    command->add_option("--compression", flags->compression, "zstd or none (default: from the output name)")
        ->check(CLI::IsMember({"zstd", "none"}));
    command->add_option("--base", flags->base,
                        "Write a delta on this previous bundle (or its index.json, from inspect --index): files it "
                        "holds are listed but not carried");
    command->add_option("--split-size", flags->split_size,
                        "Write volumes OUTPUT.000 (the signed head), OUTPUT.001, … each smaller than SIZE (4G fits "
                        "FAT32; K, M, G, T are powers of 1024, KB, MB, GB, TB of 1000)");
    flags->engine.add_to(*command);
    flags->metrics.add_to(*command);
    return [&global, flags] {
        return flags->metrics.run("pack", [&](RunMetrics& metrics) { return run_pack(global, *flags, metrics); });
    };
}

}  // namespace gapbundle::cli
