#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/ops/audit.hpp>
#include <gapbundle/ops/check.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

CommandRunner add_audit(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand("audit", "Work with the gap side's audit log");
    command->require_subcommand(1);
    auto* verify = command->add_subcommand("verify", "Check the audit log's hash chain; name the first broken record");
    auto state_dir = std::make_shared<std::string>(ops::default_state_dir().string());
    verify->add_option("--state-dir", *state_dir, "Folder holding audit.jsonl")->capture_default_str();
    return [&global, state_dir] {
        auto check = ops::verify_audit(*state_dir);
        if (!check) return report_error(global, "audit verify", check.error());
        const bool ok = !check->broken;
        if (global.json) {
            print_json({{"command", "audit verify"},
                        {"result", ok ? "ok" : "broken"},
                        {"records", check->records},
                        {"broken", ok ? nlohmann::json() : nlohmann::json(*check->broken)}});
        } else if (ok) {
            std::printf("OK %s/audit.jsonl: %zu record(s), chain intact\n", state_dir->c_str(), check->records);
        } else {
            std::printf("BROKEN %s (%zu record(s) before it hold)\n", check->broken->c_str(), check->records);
        }
        return ok ? 0 : 1;
    };
}

}  // namespace gapbundle::cli
