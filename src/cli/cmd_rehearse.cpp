#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/ops/rehearse.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct RehearseFlags {
    std::string bundle;
    std::vector<std::string> trust;
    int threshold = 1;
    bool ignore_expiry = false;
    std::string work_dir;
    bool no_isolation = false;
};

const char* verdict_text(ops::Verdict verdict)
{
    switch (verdict) {
    case ops::Verdict::passed: return "ok";
    case ops::Verdict::failed: return "FAILED";
    }
    return "?";
}

nlohmann::json rehearsal_json(const ops::RehearseResult& result)
{
    nlohmann::json kinds = nlohmann::json::array();
    for (const auto& kind : result.kinds)
        kinds.push_back({{"kind", kind.kind},
                         {"verdict", verdict_text(kind.verdict)},
                         {"checked", kind.checked},
                         {"notes", kind.notes},
                         {"problems", kind.problems}});
    auto document = verify_json(result.verify);
    document["command"] = "rehearse";
    document["result"] = result.passed() ? "ok" : "failed";
    document["network"] = {{"cut", result.isolated}, {"how", result.isolation}};
    document["kinds"] = std::move(kinds);
    return document;
}

void print_rehearsal(const std::string& bundle, const ops::RehearseResult& result)
{
    std::printf("network: %s\n", result.isolation.c_str());
    for (const auto& kind : result.kinds) {
        std::printf("%-12s %s\n", kind.kind.c_str(), verdict_text(kind.verdict));
        for (const auto& line : kind.checked) std::printf("  checked: %s\n", line.c_str());
        for (const auto& line : kind.notes) std::printf("  note: %s\n", line.c_str());
        for (const auto& line : kind.problems) std::printf("  MISSING: %s\n", line.c_str());
    }
    std::size_t failed = 0;
    for (const auto& kind : result.kinds) failed += kind.verdict == ops::Verdict::failed ? 1 : 0;
    if (result.kinds.empty()) std::printf("nothing to rehearse: the bundle holds no pip, conda, images, Hugging Face or Helm content\n");
    if (failed == 0)
        std::printf("OK %s: installs with %s\n", bundle.c_str(), result.isolated ? "no network" : "the checks above");
    else
        std::printf("FAILED %s: %zu kind(s) would not install inside the gap\n", bundle.c_str(), failed);
}

int run_rehearse(const GlobalOptions& global, const RehearseFlags& flags)
{
    ops::RehearseOptions options;
    options.bundle = flags.bundle;
    options.trust.trust.assign(flags.trust.begin(), flags.trust.end());
    options.trust.threshold = flags.threshold;
    options.trust.ignore_expiry = flags.ignore_expiry;
    options.work_parent = flags.work_dir;
    options.cut_network = !flags.no_isolation;
    auto result = ops::rehearse(options);
    if (!result) return report_error(global, "rehearse", result.error());
    if (global.json) {
        print_json(rehearsal_json(*result));
    } else if (!result->verify.ok()) {
        print_notes(result->verify.notes);
        print_problems(result->verify.problems);
        std::printf("FAILED %s: %zu problem(s); nothing was rehearsed\n", flags.bundle.c_str(),
                    result->verify.problems.size());
    } else {
        print_notes(result->verify.notes);
        print_rehearsal(flags.bundle, *result);
    }
    if (std::fflush(stdout) != 0) return 4;
    return result->passed() ? 0 : 1;
}

}  // namespace

CommandRunner add_rehearse(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand(
        "rehearse", "Prove a bundle installs with the network cut: verify and unpack it into a temporary folder, "
                    "then check every kind there (pip, Hugging Face, images, conda, Helm)");
    auto flags = std::make_shared<RehearseFlags>();
    command->add_option("bundle", flags->bundle, "Bundle file")->required();
    command->add_option("-t,--trust", flags->trust,
                        "Trusted public key (.pub) or folder of them; repeatable (default " +
                            ops::default_trust_dir().string() + ")");
    command->add_option("--threshold", flags->threshold, "Distinct trusted keys that must have signed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_flag("--ignore-expiry", flags->ignore_expiry, "Accept an expired bundle (noted)");
    command->add_option("--work-dir", flags->work_dir,
                        "Where the temporary folder goes (default: the system's; it needs the bundle's size free)");
    command->add_flag("--no-isolation", flags->no_isolation,
                      "Run the checks without cutting the network (where namespaces are not allowed)");
    return [&global, flags] { return run_rehearse(global, *flags); };
}

}  // namespace gapbundle::cli
