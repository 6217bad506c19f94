// conda: the carried packages are closed under their depends (every dependency satisfied inside
// the local channels), each package file is there; and, where this host has conda,
// `conda create --offline` from the local channels alone.

#include "rehearsal_checks.hpp"

#include <gapbundle/sources/conda/match_spec.hpp>
#include <gapbundle/sources/conda/repodata.hpp>
#include <gapbundle/sources/conda/solution_check.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/process.hpp>

#include <algorithm>

namespace gapbundle::ops::rehearsal {

namespace {

namespace stdfs = std::filesystem;
using sources::conda::RepodataRecord;

// Virtual packages (__glibc, __cuda...) are the target host's, not the bundle's.
void drop_virtual(std::vector<std::string>& specs)
{
    std::erase_if(specs, [](const std::string& spec) { return spec.starts_with("__"); });
}

// Every record of conda/<channel>/<subdir>/repodata.json, each file checked present.
std::vector<RepodataRecord> carried_records(const stdfs::path& conda, std::vector<std::string>& channels,
                                            KindRehearsal& out)
{
    std::vector<RepodataRecord> records;
    std::error_code ec;
    for (const auto& channel : stdfs::directory_iterator(conda, ec)) {
        if (!channel.is_directory()) continue;
        channels.push_back(channel.path().filename().string());
        for (const auto& subdir : stdfs::directory_iterator(channel.path(), ec)) {
            const stdfs::path repodata = subdir.path() / "repodata.json";
            if (!subdir.is_directory() || !stdfs::exists(repodata)) continue;
            const std::string where = channels.back() + "/" + subdir.path().filename().string();
            auto text = fs::read_small_file(repodata, 1ull << 30);
            auto parsed = text ? sources::conda::parse_repodata(*text, channels.back())
                               : Result<sources::conda::Repodata>(std::unexpected(text.error()));
            if (!parsed) {
                out.problems.push_back(where + "/repodata.json: " + parsed.error().message);
                continue;
            }
            for (auto& record : parsed->records) {
                if (!stdfs::is_regular_file(subdir.path() / record.filename, ec))
                    out.problems.push_back(where + "/" + record.filename + ": in repodata.json, but not in the channel");
                drop_virtual(record.depends);
                drop_virtual(record.constrains);
                records.push_back(std::move(record));
            }
        }
    }
    std::ranges::sort(channels);
    return records;
}

void create_offline(const Tree& tree, const stdfs::path& conda, const std::vector<std::string>& channels,
                    KindRehearsal& out)
{
    std::vector<std::string> specs;
    for (const auto* component : tree.components("conda"))
        specs.insert(specs.end(), component->requested.begin(), component->requested.end());
    if (specs.empty()) return;
    std::vector<std::string> argv{conda.string(), "create", "--offline", "--yes", "--quiet", "--override-channels",
                                  "-p", (tree.work / "conda-env").string()};
    for (const auto& channel : channels) {
        argv.push_back("-c");
        argv.push_back("file://" + (tree.root / "conda" / channel).string());
    }
    argv.insert(argv.end(), specs.begin(), specs.end());
    auto ran = process::run_capturing(argv);
    if (!ran) {
        out.problems.push_back(ran.error().message);
    } else if (ran->status != 0) {
        out.problems.push_back("conda create --offline failed (exit " + std::to_string(ran->status) + "):");
        for (auto& line : lines_starting_with(ran->output, {""})) out.problems.push_back(std::move(line));
    } else {
        out.checked.push_back("conda create --offline of the " + std::to_string(specs.size()) +
                              " requested spec(s) from the local channels");
    }
}

}  // namespace

KindRehearsal rehearse_conda(const Tree& tree)
{
    KindRehearsal out{"conda", Verdict::passed, {}, {}, {}};
    std::vector<std::string> channels;
    const auto records = carried_records(tree.root / "conda", channels, out);
    if (auto closed = sources::conda::check_solution({}, records, {}); !closed) {
        std::string_view message = closed.error().message;
        for (std::size_t start = message.find("\n  "); start != std::string_view::npos;) {
            const auto next = message.find("\n  ", start + 3);
            out.problems.emplace_back(message.substr(start + 3, next == std::string_view::npos ? next : next - start - 3));
            start = next;
        }
    }
    out.checked.push_back(std::to_string(records.size()) +
                          " package(s) in the local channels: every depends is satisfied among them (virtual packages "
                          "are the target's)");
    for (const auto* component : tree.components("conda"))
        if (std::ranges::none_of(records, [&](const RepodataRecord& r) { return r.name == component->name; }))
            out.problems.push_back(component->name + " " + component->version +
                                   ": the index names it, but no local channel's repodata.json lists it");
    if (out.problems.empty()) {
        if (const auto conda = find_program("conda"))
            create_offline(tree, *conda, channels, out);
        else
            out.notes.push_back("no conda on this host: conda create --offline not run");
    }
    out.verdict = out.problems.empty() ? Verdict::passed : Verdict::failed;
    return out;
}

}  // namespace gapbundle::ops::rehearsal
