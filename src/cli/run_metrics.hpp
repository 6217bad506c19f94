#pragma once

#include <gapbundle/util/error.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace gapbundle::cli {

// The gauges a run of pack, verify or unpack leaves for node_exporter's textfile collector,
// each named gapbundle_last_run_<metric> (docs/cli.md, "Metrics").
enum class Metric {
    duration_seconds,
    bytes,
    entries,
    bytes_downloaded,
    cache_hits,
    result,
    exit_code,
    timestamp_seconds,
};

// One run's metrics in the Prometheus text exposition format: a # HELP and a # TYPE line per
// metric set, labelled command="..." and, once known, channel="...".
class RunMetrics {
public:
    // Starts the clock that finish() reads.
    explicit RunMetrics(std::string command);

    void set_channel(std::string channel);
    void set(Metric metric, std::uint64_t value);
    void set(Metric metric, double value);
    // Sets result, exit_code, duration_seconds and timestamp_seconds (the end time).
    void finish(int exit_code);

    [[nodiscard]] std::string text() const;
    // Replaces `path` in one rename (a temporary file beside it), mode 0644, so that a scrape
    // never reads half a file.
    [[nodiscard]] Status write(const std::filesystem::path& path) const;

private:
    static constexpr std::size_t k_metrics = static_cast<std::size_t>(Metric::timestamp_seconds) + 1;

    std::string m_command;
    std::optional<std::string> m_channel;
    std::chrono::steady_clock::time_point m_start;
    std::array<std::optional<std::string>, k_metrics> m_values;  // as written in the text
};

}  // namespace gapbundle::cli
