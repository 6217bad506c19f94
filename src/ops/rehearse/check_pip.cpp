// pip: the top-level requirements install from the unpacked tree alone, and pip check is happy.

#include "rehearsal_checks.hpp"

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/process.hpp>

#include <regex>
#include <set>

namespace gapbundle::ops::rehearsal {

namespace {

// "3.11" from requirements.lock's first line ("# Every package gapbundle resolved for CPython 3.11
// on ..."), which pack writes; empty when it is not there.
std::string target_python(const std::filesystem::path& lock)
{
    auto text = fs::read_small_file(lock, 1 << 20);
    if (!text) return {};
    static const std::regex cpython(R"(for CPython (\d+\.\d+))");
    std::smatch match;
    const std::string first_line = text->substr(0, text->find('\n'));
    return std::regex_search(first_line, match, cpython) ? match[1].str() : std::string();
}

bool needs_an_extra(const std::string& requirement)
{
    return requirement.find("extra") != std::string::npos;
}

// Every requirement a carried package's metadata makes for this target, without an extra, names
// a carried package.
void check_closure(const Tree& tree, KindRehearsal& out)
{
    std::set<std::string> carried;
    for (const auto* component : tree.components("pip")) carried.insert(component->name);
    std::size_t edges = 0;
    for (const auto* component : tree.components("pip")) {
        for (const auto& dependency : component->dependencies) {
            if (needs_an_extra(dependency.requirement)) continue;
            ++edges;
            if (!carried.contains(dependency.name))
                out.problems.push_back(component->name + " " + component->version + " requires " + dependency.requirement +
                                       ", and the bundle carries no " + dependency.name);
        }
    }
    out.checked.push_back(std::to_string(carried.size()) + " package(s): each of their " + std::to_string(edges) +
                          " requirement(s) names a carried package");
}

// A tool run with its output kept; a failure to start is a problem too.
std::optional<process::Captured> run_tool(const std::vector<std::string>& argv, KindRehearsal& out)
{
    auto ran = process::run_capturing(argv);
    if (!ran) {
        out.problems.push_back(ran.error().message);
        return std::nullopt;
    }
    return std::move(*ran);
}

void install_offline(const Tree& tree, const std::filesystem::path& python, const std::string& version,
                     KindRehearsal& out)
{
    std::vector<std::string> requirements;
    for (const auto* component : tree.components("pip"))
        requirements.insert(requirements.end(), component->requested.begin(), component->requested.end());
    if (requirements.empty()) {
        out.notes.push_back("no top-level requirement in the index: pip install not run");
        return;
    }
    const auto venv = tree.work / "venv-pip";
    auto made = run_tool({python.string(), "-m", "venv", venv.string()}, out);
    if (!made) return;
    if (made->status != 0) {
        out.problems.push_back(python.string() + " -m venv failed (exit " + std::to_string(made->status) +
                               "): " + made->output.substr(0, 400));
        return;
    }
    const std::string venv_python = (venv / "bin" / "python").string();
    std::vector<std::string> install{venv_python, "-m", "pip", "install", "--isolated", "--no-index",
                                     "--disable-pip-version-check", "--no-input", "--find-links",
                                     (tree.root / "pypi" / "files").string()};
    install.insert(install.end(), requirements.begin(), requirements.end());
    auto installed = run_tool(install, out);
    if (!installed) return;
    if (installed->status != 0) {
        out.problems.push_back("pip install --no-index of the " + std::to_string(requirements.size()) +
                               " top-level requirement(s) failed (exit " + std::to_string(installed->status) + ")");
        for (auto& line : lines_starting_with(installed->output, {"ERROR:"})) out.problems.push_back(std::move(line));
        return;
    }
    out.checked.push_back("pip install --no-index of the " + std::to_string(requirements.size()) +
                          " top-level requirement(s) into a new python" + version + " venv");
    auto checked = run_tool({venv_python, "-m", "pip", "check", "--disable-pip-version-check"}, out);
    if (!checked) return;
    if (checked->status != 0) {
        out.problems.push_back("pip check found broken requirements:");
        for (auto& line : lines_starting_with(checked->output, {""})) out.problems.push_back(std::move(line));
        return;
    }
    out.checked.push_back("pip check: no broken requirements");
}

}  // namespace

KindRehearsal rehearse_pip(const Tree& tree)
{
    KindRehearsal out{"pip", Verdict::passed, {}, {}, {}};
    check_closure(tree, out);
    const std::string version = target_python(tree.root / "pypi" / "requirements.lock");
    if (version.empty()) {
        out.notes.push_back("pypi/requirements.lock names no target Python: pip install not run");
    } else if (const auto python = find_program("python" + version); !python) {
        out.notes.push_back("no python" + version + " on this host (the target's): pip install not run");
    } else {
        install_offline(tree, *python, version, out);
    }
    out.verdict = out.problems.empty() ? Verdict::passed : Verdict::failed;
    return out;
}

}  // namespace gapbundle::ops::rehearsal
