#include "run_metrics.hpp"

#include <gapbundle/util/fs.hpp>

#include <charconv>
#include <cmath>
#include <string_view>

namespace gapbundle::cli {

namespace {

struct MetricInfo {
    std::string_view name;
    std::string_view help;
};

// In Metric's order, which is also the order of the text.
constexpr std::array<MetricInfo, 8> k_info{{
    {"gapbundle_last_run_duration_seconds", "Wall-clock seconds the last run of the command took."},
    {"gapbundle_last_run_bytes", "Payload bytes the last run packed, verified or unpacked."},
    {"gapbundle_last_run_entries", "Entries (files, folders, symlinks) in the index of the last run's bundle."},
    {"gapbundle_last_run_bytes_downloaded", "Bytes the last pack downloaded."},
    {"gapbundle_last_run_cache_hits", "Artifacts the last pack found in its cache instead of downloading them."},
    {"gapbundle_last_run_result", "1 if the last run succeeded, 0 if it failed."},
    {"gapbundle_last_run_exit_code",
     "Exit status of the last run: 0 ok, 1 verification failed, 2 usage or manifest, 3 network, 4 local I/O, "
     "130 interrupted."},
    {"gapbundle_last_run_timestamp_seconds", "Unix time at which the last run ended."},
}};
static_assert(k_info.size() == static_cast<std::size_t>(Metric::timestamp_seconds) + 1);

// Backslash, double quote and line feed are the three characters a label value escapes.
std::string escape_label_value(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// The shortest text that reads back as the same double, never with an exponent.
std::string format_double(double value)
{
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    std::array<char, 400> buffer{};  // fixed notation of DBL_MAX needs 309 digits
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
    return ec == std::errc{} ? std::string(buffer.data(), end) : "NaN";
}

// To 1 / per_unit: a division by a whole number, so that the shortest text has no tail of digits.
double rounded(double value, double per_unit)
{
    return std::round(value * per_unit) / per_unit;
}

}  // namespace

RunMetrics::RunMetrics(std::string command) : m_command(std::move(command)), m_start(std::chrono::steady_clock::now())
{
}

void RunMetrics::set_channel(std::string channel)
{
    m_channel = std::move(channel);
}

void RunMetrics::set(Metric metric, std::uint64_t value)
{
    m_values[static_cast<std::size_t>(metric)] = std::to_string(value);
}

void RunMetrics::set(Metric metric, double value)
{
    m_values[static_cast<std::size_t>(metric)] = format_double(value);
}

void RunMetrics::finish(int exit_code)
{
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    set(Metric::result, std::uint64_t{exit_code == 0 ? 1u : 0u});
    set(Metric::exit_code, static_cast<std::uint64_t>(exit_code));
    set(Metric::duration_seconds, rounded(took, 1e6));
    set(Metric::timestamp_seconds, rounded(now, 1e3));
}

std::string RunMetrics::text() const
{
    std::string labels = "{command=\"" + escape_label_value(m_command) + "\"";
    if (m_channel) labels += ",channel=\"" + escape_label_value(*m_channel) + "\"";
    labels += "}";
    std::string out;
    for (std::size_t i = 0; i < k_metrics; ++i) {
        if (!m_values[i]) continue;
        const auto& [name, help] = k_info[i];
        out.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(labels).append(" ").append(*m_values[i]).append("\n");
    }
    return out;
}

Status RunMetrics::write(const std::filesystem::path& path) const
{
    return fs::write_file_atomic(path, text(), 0644);
}

}  // namespace gapbundle::cli
