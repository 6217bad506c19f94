#pragma once

#include "commands.hpp"

#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/util/error.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string_view>

namespace gapbundle::cli {

// The one place errors are printed: "gapbundle: error: <message>" on stderr, or a JSON
// document on stdout with --json. Returns the exit status for the error's code.
int report_error(const GlobalOptions& global, std::string_view command, const Error& error);
// Only the stderr line of report_error, for an error after the command printed its result.
void print_error(const Error& error);

void print_json(const nlohmann::json& document);

nlohmann::json problems_json(const std::vector<bundle::Problem>& problems);
nlohmann::json verify_json(const bundle::VerifyReport& report);
// Text lines for a failed verification: "PATH: KIND: message".
void print_problems(const std::vector<bundle::Problem>& problems);
// What did not stop a bundle (overrides used, signature remarks), on stderr: "note: ...".
void print_notes(const std::vector<std::string>& notes);

// Download progress on stderr: a redrawn line on a terminal, a log line every few seconds otherwise.
class ProgressPrinter {
public:
    explicit ProgressPrinter(const GlobalOptions& global);
    ~ProgressPrinter();
    net::ProgressCallback callback();

private:
    void show(const net::Progress& progress);
    bool m_enabled;
    bool m_tty;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
};

}  // namespace gapbundle::cli
