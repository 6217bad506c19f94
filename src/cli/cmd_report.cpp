#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/ops/check.hpp>
#include <gapbundle/ops/index_document.hpp>
#include <gapbundle/report/html_report.hpp>
#include <gapbundle/report/report_json.hpp>
#include <gapbundle/report/report_model.hpp>
#include <gapbundle/util/fs.hpp>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace gapbundle::cli {

namespace {

struct ReportFlags {
    std::string bundle;
    std::string output;
    std::string base;
    std::vector<std::string> trust;
};

// The signatures checked against the given keys, else the trust folder's when it exists; nullopt
// when there is nothing to check against (the report then says so).
Result<std::optional<bundle::SignatureCheck>> check_trust(const ops::IndexDocument& document,
                                                          const std::vector<std::string>& flags)
{
    std::vector<std::filesystem::path> paths(flags.begin(), flags.end());
    if (paths.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(ops::default_trust_dir(), ec)) return std::optional<bundle::SignatureCheck>{};
        paths.push_back(ops::default_trust_dir());
    }
    if (document.signatures.empty()) return std::optional<bundle::SignatureCheck>{};
    auto trust = bundle::load_trust(paths);
    if (!trust) return std::unexpected(trust.error());
    return std::optional(bundle::check_signatures(document.index_bytes, document.signatures, *trust));
}

Status write_page(const std::filesystem::path& output, const nlohmann::ordered_json& model, const bundle::Index& index)
{
    auto file = fs::AtomicFile::create(output);
    if (!file) return std::unexpected(file.error());
    if (auto st = report::write_html(model, index, [&](std::string_view piece) { return file->write(piece); }); !st)
        return st;
    return file->commit();
}

int run_report(const ReportFlags& flags, const GlobalOptions& global)
{
    auto document = ops::read_index_document(flags.bundle, ops::IndexBytes::keep);
    if (!document) return report_error(global, "report", document.error());
    auto trust = check_trust(*document, flags.trust);
    if (!trust) return report_error(global, "report", trust.error());
    { const std::string checked = std::move(document->index_bytes); }  // freed before the base is read
    std::optional<ops::IndexDocument> base;
    if (!flags.base.empty()) {
        auto read = ops::read_index_document(flags.base);
        if (!read) return report_error(global, "report", read.error().context("--base"));
        base = std::move(*read);
    }
    report::ReportInput input{&*document, std::move(*trust), base ? &*base : nullptr};
    // The page and the --json document take the file lists from the index as they are written.
    const auto model = report::report_model(input, report::FileLists::left_out);
    if (!flags.output.empty()) {
        if (auto st = write_page(flags.output, model, document->index); !st) return report_error(global, "report", st.error());
    }
    if (global.json) {
        const auto to_stdout = [](std::string_view piece) -> Status {
            if (std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size())
                return fail(ErrorCode::io, std::string("stdout: cannot write: ") + std::strerror(errno));
            return {};
        };
        if (auto st = report::write_report_json(model, document->index, to_stdout); !st) {
            print_error(st.error());
            return 4;
        }
    } else if (!flags.output.empty()) {
        std::printf("wrote %s: %zu component(s) of %zu kind(s)\n", flags.output.c_str(),
                    static_cast<std::size_t>(document->index.components.size()), model["kinds"].size());
    }
    return std::fflush(stdout) == 0 ? 0 : 4;
}

}  // namespace

CommandRunner add_report(CLI::App& app, const GlobalOptions& global)
{
    auto* command = app.add_subcommand(
        "report", "Write a self-contained HTML report of a bundle from its signed index (what, versions, sources, "
                  "signers, sizes)");
    auto flags = std::make_shared<ReportFlags>();
    command->add_option("bundle", flags->bundle, "The bundle, or its index.json (gapbundle inspect --index)")->required();
    command->add_option("-o,--output", flags->output, "The HTML file to write");
    command->add_option("--base", flags->base, "An older bundle or index: show what changed since");
    command->add_option("--trust", flags->trust,
                        "Public keys (.pub files or folders) to check the signers against (default: " +
                            ops::default_trust_dir().string() + " when it exists)");
    command->callback([command, flags, &global] {
        if (flags->output.empty() && !global.json)
            throw CLI::RequiredError(command->get_name() + ": -o/--output (or --json)");
    });
    return [&global, flags] { return run_report(*flags, global); };
}

}  // namespace gapbundle::cli
