#include "output.hpp"

#include <gapbundle/util/text.hpp>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace gapbundle::cli {

int report_error(const GlobalOptions& global, std::string_view command, const Error& error)
{
    const int status = exit_status_for(error.code);
    if (global.json) {
        print_json({{"command", command},
                    {"result", "error"},
                    {"exit_code", status},
                    {"error", {{"code", to_string(error.code)}, {"message", error.message}}}});
    }
    print_error(error);
    return status;
}

void print_error(const Error& error)
{
    std::fprintf(stderr, "gapbundle: error: %s\n", error.message.c_str());
}

void print_json(const nlohmann::json& document)
{
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    std::cout.flush();
}

nlohmann::json problems_json(const std::vector<bundle::Problem>& problems)
{
    auto list = nlohmann::json::array();
    for (const auto& problem : problems)
        list.push_back({{"path", problem.path}, {"kind", problem.kind}, {"message", problem.message}});
    return list;
}

nlohmann::json verify_json(const bundle::VerifyReport& report)
{
    nlohmann::json document{{"result", report.ok() ? "ok" : "failed"},
                            {"authenticated", report.authenticated},
                            {"signers", report.signers},
                            {"files", report.files},
                            {"bytes", report.bytes},
                            {"problems", problems_json(report.problems)},
                            {"notes", report.notes}};
    if (report.index) {
        document["name"] = report.index->name;
        document["channel"] = bundle::channel_of(*report.index);
        document["index_sha256"] = report.index_sha256;
        document["serial"] = report.index->serial;
        document["created"] = report.index->created;
        document["expires"] = report.index->expires ? nlohmann::json(*report.index->expires) : nlohmann::json();
        if (const auto& base = report.index->base) {
            document["base"] = {{"serial", base->serial}, {"index_sha256", base->index_sha256}};
            document["from_base"] = report.from_base;
            document["files_from_base"] = report.files_from_base;
        }
    }
    return document;
}

void print_problems(const std::vector<bundle::Problem>& problems)
{
    for (const auto& problem : problems) {
        // Messages name their path first; the line names it once.
        std::string_view message = problem.message;
        if (const std::string prefix = problem.path + ": "; message.starts_with(prefix)) message.remove_prefix(prefix.size());
        std::printf("%s: %s: %.*s\n", problem.path.c_str(), problem.kind.c_str(), static_cast<int>(message.size()),
                    message.data());
    }
}

void print_notes(const std::vector<std::string>& notes)
{
    for (const auto& note : notes) std::fprintf(stderr, "note: %s\n", note.c_str());
}

ProgressPrinter::ProgressPrinter(const GlobalOptions& global)
    : m_enabled(!global.quiet), m_tty(::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()), m_last(m_start)
{
}

ProgressPrinter::~ProgressPrinter()
{
    if (m_drawn) std::fputc('\n', stderr);
}

net::ProgressCallback ProgressPrinter::callback()
{
    if (!m_enabled) return {};
    return [this](const net::Progress& progress) { show(progress); };
}

void ProgressPrinter::show(const net::Progress& progress)
{
    const auto now = std::chrono::steady_clock::now();
    const bool finished = progress.transfers_done == progress.transfers_total;
    if (!m_tty && !finished && now - m_last < std::chrono::seconds(5)) return;
    m_last = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    const double rate = seconds > 0 ? static_cast<double>(progress.bytes_done) / seconds : 0;
    std::string line = "downloaded " + std::to_string(progress.transfers_done) + "/" +
                       std::to_string(progress.transfers_total) + " files, " + text::human_bytes(progress.bytes_done);
    if (progress.bytes_total) line += " of " + text::human_bytes(progress.bytes_total);
    line += ", " + text::human_bytes(static_cast<std::uint64_t>(rate)) + "/s";
    if (progress.bytes_total > progress.bytes_done && rate > 0)
        line += ", ETA " + std::to_string(static_cast<long>(static_cast<double>(progress.bytes_total - progress.bytes_done) / rate)) + "s";
    if (m_tty) {
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        m_drawn = true;
    } else {
        spdlog::info("{}", line);
    }
}

}  // namespace gapbundle::cli
