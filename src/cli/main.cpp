#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/util/interrupt.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <map>

namespace {

void configure_logging(const gapbundle::cli::GlobalOptions& global)
{
    auto logger = spdlog::stderr_color_mt("gapbundle");
    logger->set_pattern("gapbundle: %^%v%$");
    spdlog::set_default_logger(logger);
    spdlog::set_level(global.quiet ? spdlog::level::warn
                      : global.verbose > 1 ? spdlog::level::trace
                      : global.verbose == 1 ? spdlog::level::debug
                                            : spdlog::level::info);
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace gapbundle::cli;
    CLI::App app{"gapbundle: carry software and model weights into air-gapped networks"};
    app.set_version_flag("--version", std::string("gapbundle ") + GAPBUNDLE_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    GlobalOptions global;
    app.add_flag("-v,--verbose", global.verbose, "More log output (repeat for more)");
    app.add_flag("-q,--quiet", global.quiet, "Only warnings and errors on stderr");
    app.add_flag("--json", global.json, "Print one JSON document with the result on stdout");

    const std::pair<const char*, CommandRunner (*)(CLI::App&, const GlobalOptions&)> table[] = {
        {"keygen", add_keygen},   {"lock", add_lock},     {"pack", add_pack},     {"inspect", add_inspect},
        {"diff", add_diff},       {"report", add_report}, {"rehearse", add_rehearse}, {"verify", add_verify}, {"unpack", add_unpack},
        {"fetch", add_fetch},     {"install", add_install}, {"gc", add_gc},       {"audit", add_audit},
    };
    std::map<const CLI::App*, CommandRunner> runners;
    for (const auto& [name, add] : table) {
        CommandRunner runner = add(app, global);
        runners.emplace(app.get_subcommand(name), std::move(runner));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() != 0 && global.json)
            return report_error(global, "usage", gapbundle::Error{gapbundle::ErrorCode::usage, e.what()});
        return app.exit(e) == 0 ? 0 : 2;
    }

    configure_logging(global);
    gapbundle::interrupt::install_handlers();
    // A write past the file size limit (ulimit -f) then fails with EFBIG and is reported like a
    // full disk, naming the file, instead of killing the process with SIGXFSZ.
    std::signal(SIGXFSZ, SIG_IGN);
    gapbundle::net::CurlGlobal curl;
    for (const auto* command : app.get_subcommands())
        if (auto it = runners.find(command); it != runners.end()) {
            const int status = it->second();
            return gapbundle::interrupt::requested() ? 130 : status;
        }
    return 2;
}
