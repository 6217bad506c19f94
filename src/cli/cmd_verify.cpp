#include "commands.hpp"
#include "metrics_flag.hpp"
#include "output.hpp"
#include "trust_flags.hpp"

#include <gapbundle/ops/check.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct VerifyFlags {
    std::string bundle;
    TrustFlags trust;
    MetricsFlag metrics;
};

int run_verify(const GlobalOptions& global, const VerifyFlags& flags, RunMetrics& metrics)
{
    const ops::TrustOptions trust = flags.trust.options();
    if (trust.channel) metrics.set_channel(*trust.channel);
    auto report = ops::verify(flags.bundle, trust);
    if (!report) return report_error(global, "verify", report.error());
    set_report_metrics(metrics, *report);
    if (!global.json) print_notes(report->notes);
    if (global.json) {
        auto document = verify_json(*report);
        document["command"] = "verify";
        document["bundle"] = flags.bundle;
        print_json(document);
    } else if (report->ok()) {
        std::printf("OK %s: %s serial %llu, %llu files, %s, signed by %zu trusted key(s)\n", flags.bundle.c_str(),
                    report->index->name.c_str(), static_cast<unsigned long long>(report->index->serial),
                    static_cast<unsigned long long>(report->files), text::human_bytes(report->bytes).c_str(),
                    report->signers.size());
        if (const auto& base = report->index->base)
            std::printf("a delta on serial %llu: %llu more files are the base release's, checked when unpacked "
                        "with --store\n",
                        static_cast<unsigned long long>(base->serial), static_cast<unsigned long long>(report->from_base));
    } else {
        print_problems(report->problems);
        std::printf("FAILED %s: %zu problem(s)\n", flags.bundle.c_str(), report->problems.size());
    }
    return report->ok() ? 0 : 1;
}

}  // namespace

CommandRunner add_verify(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("verify", "Check a bundle's signatures and every entry's size and hash");
    auto flags = std::make_shared<VerifyFlags>();
    command->add_option("bundle", flags->bundle, "Bundle file")->required();
    flags->trust.add_to(*command);
    flags->metrics.add_to(*command);
    return [&global, flags] {
        return flags->metrics.run("verify", [&](RunMetrics& metrics) { return run_verify(global, *flags, metrics); });
    };
}

}  // namespace gapbundle::cli
