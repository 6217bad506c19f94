#include "commands.hpp"
#include "metrics_flag.hpp"
#include "output.hpp"
#include "trust_flags.hpp"

#include <gapbundle/ops/check.hpp>
#include <gapbundle/ops/release_store.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct UnpackFlags {
    std::string bundle;
    TrustFlags trust;
    std::string destination;
    std::string store;
    bool merge = false;
    MetricsFlag metrics;
};

int run_store_unpack(const GlobalOptions& global, const UnpackFlags& flags, const ops::TrustOptions& trust,
                     RunMetrics& metrics)
{
    auto result = ops::unpack_into_store(flags.bundle, flags.store, trust);
    if (!result) return report_error(global, "unpack", result.error());
    const auto& report = result->unpack;
    set_report_metrics(metrics, report.verify);
    const bool ok = report.verify.ok();
    if (!global.json) print_notes(report.verify.notes);
    if (global.json) {
        auto document = verify_json(report.verify);
        document["command"] = "unpack";
        document["bundle"] = flags.bundle;
        document["store"] = flags.store;
        document["release"] = result->release.string();
        document["current"] = result->current.string();
        document["already_there"] = result->already_there;
        document["files_written"] = report.files_written;
        document["files_unchanged"] = report.files_unchanged;
        print_json(document);
    } else if (ok) {
        std::printf("OK unpacked %s into %s (%s): %llu files written, %llu already there, %s\n", flags.bundle.c_str(),
                    result->release.c_str(), result->current.c_str(),
                    static_cast<unsigned long long>(report.files_written),
                    static_cast<unsigned long long>(report.files_unchanged), text::human_bytes(report.verify.bytes).c_str());
    } else {
        print_problems(report.verify.problems);
        std::printf("FAILED %s: %zu problem(s); %s left unchanged\n", flags.bundle.c_str(), report.verify.problems.size(),
                    flags.store.c_str());
    }
    return ok ? 0 : 1;
}

int run_unpack(const GlobalOptions& global, const UnpackFlags& flags, RunMetrics& metrics)
{
    const ops::TrustOptions trust = flags.trust.options();
    if (trust.channel) metrics.set_channel(*trust.channel);
    if (flags.destination.empty() && flags.store.empty())
        return report_error(global, "unpack", Error{ErrorCode::usage, "give --to DIR or --store DIR"});
    if (!flags.store.empty()) return run_store_unpack(global, flags, trust, metrics);
    auto report = ops::unpack(flags.bundle, flags.destination, trust,
                              flags.merge ? bundle::ExistingDestination::merge : bundle::ExistingDestination::refuse);
    if (!report) return report_error(global, "unpack", report.error());
    set_report_metrics(metrics, report->verify);
    const bool ok = report->verify.ok();
    if (!global.json) print_notes(report->verify.notes);
    if (global.json) {
        auto document = verify_json(report->verify);
        document["command"] = "unpack";
        document["bundle"] = flags.bundle;
        document["destination"] = flags.destination;
        document["files_written"] = report->files_written;
        document["files_unchanged"] = report->files_unchanged;
        print_json(document);
    } else if (ok) {
        std::printf("OK unpacked %s into %s: %llu files written, %llu already there, %s\n", flags.bundle.c_str(),
                    flags.destination.c_str(), static_cast<unsigned long long>(report->files_written),
                    static_cast<unsigned long long>(report->files_unchanged),
                    text::human_bytes(report->verify.bytes).c_str());
    } else {
        print_problems(report->verify.problems);
        std::printf("FAILED %s: %zu problem(s); %s left unchanged\n", flags.bundle.c_str(),
                    report->verify.problems.size(), flags.destination.c_str());
    }
    return ok ? 0 : 1;
}

}  // namespace

CommandRunner add_unpack(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("unpack", "Verify a bundle while extracting it; DIR appears only if all checks pass");
    auto flags = std::make_shared<UnpackFlags>();
    command->add_option("bundle", flags->bundle, "Bundle file")->required();
    flags->trust.add_to(*command);
    auto* to = command->add_option("--to", flags->destination, "Destination folder");
    auto* store = command->add_option("--store", flags->store,
                                      "Release store: unpack into STORE/releases/<channel>/<serial>, then switch "
                                      "STORE/current/<channel> to it");
    to->excludes(store);
    command->add_flag("--merge", flags->merge, "Add to a non-empty DIR; never changes an existing file")->excludes(store);
    flags->metrics.add_to(*command);
    return [&global, flags] {
        return flags->metrics.run("unpack", [&](RunMetrics& metrics) { return run_unpack(global, *flags, metrics); });
    };
}

}  // namespace gapbundle::cli
