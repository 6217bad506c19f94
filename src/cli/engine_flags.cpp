#include "engine_flags.hpp"

#include <gapbundle/store/store.hpp>

#include <cstdlib>

namespace gapbundle::cli {

void EngineFlags::add_to(CLI::App& command)
{
    command.add_option("-j,--jobs", jobs, "Parallel downloads")->check(CLI::Range(1, 64))->capture_default_str();
    command.add_option("--retries", retries, "Retries after a failed transfer")->check(CLI::Range(0, 100))->capture_default_str();
    command.add_option("--timeout", stall_timeout, "Seconds without progress before a transfer is retried")
        ->check(CLI::Range(1, 3600))->capture_default_str();
    command.add_option("--range-mib", range_mib,
                       "Fetch files of 64 MiB and more as parallel byte ranges of this many MiB (0: one request per file)")
        ->check(CLI::Range(0, 4096))->capture_default_str();
    command.add_option("--cache-dir", cache_dir, "Content-addressed download cache (default ~/.cache/gapbundle)");
    command.add_option("--ca-bundle", ca_bundle, "CA certificates for HTTPS (default SSL_CERT_FILE, else the system's)");
}

net::EngineOptions EngineFlags::engine_options() const
{
    net::EngineOptions options;
    options.jobs = jobs;
    options.max_attempts = retries + 1;
    options.stall_timeout = std::chrono::seconds(stall_timeout);
    options.range_chunk_size = static_cast<std::uint64_t>(range_mib) << 20;
    options.ca_bundle = ca_bundle;
    if (options.ca_bundle.empty())
        if (const char* env = std::getenv("SSL_CERT_FILE")) options.ca_bundle = env;
    options.user_agent = std::string("gapbundle/") + GAPBUNDLE_VERSION;
    return options;
}

std::filesystem::path EngineFlags::cache_path() const
{
    return cache_dir.empty() ? store::default_cache_dir() : std::filesystem::path(cache_dir);
}

}  // namespace gapbundle::cli
