#include "metrics_flag.hpp"

#include "output.hpp"

#include <gapbundle/util/interrupt.hpp>

namespace gapbundle::cli {

void MetricsFlag::add_to(CLI::App& command)
{
    command.add_option("--metrics-file", path,
                       "Write Prometheus metrics of this run here (for node_exporter's textfile collector), on "
                       "success and on failure");
}

int MetricsFlag::run(std::string_view command, const std::function<int(RunMetrics&)>& body) const
{
    RunMetrics metrics{std::string(command)};
    const int status = body(metrics);
    if (path.empty()) return status;
    // main turns any status into 130 after an interrupt.
    metrics.finish(interrupt::requested() ? 130 : status);
    if (auto written = metrics.write(path); !written) {
        const Error error = written.error().context("--metrics-file");
        print_error(error);
        return status != 0 ? status : exit_status_for(error.code);
    }
    return status;
}

void set_report_metrics(RunMetrics& metrics, const bundle::VerifyReport& report)
{
    if (report.index) {
        metrics.set_channel(bundle::channel_of(*report.index));
        metrics.set(Metric::entries, static_cast<std::uint64_t>(report.index->entries.size()));
    }
    metrics.set(Metric::bytes, report.bytes);
}

}  // namespace gapbundle::cli
