#include "support/python_index.hpp"

#include "support/test_dir.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace gapbundle::testing {

namespace stdfs = std::filesystem;

namespace {

// A folder for one run's scratch files, removed when it goes.
class ScratchDir {
public:
    ScratchDir()
    {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = (stdfs::path(tmp && *tmp ? tmp : "/tmp") / "gapbundle-pip.XXXXXX").string();
        if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed for " + templ);
        m_path = templ;
    }
    ~ScratchDir()
    {
        std::error_code ec;
        stdfs::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const stdfs::path& path() const { return m_path; }

private:
    stdfs::path m_path;
};

// Runs `program args` through env(1) with every PIP_* variable and the Python path variables
// unset and pip's configuration files off, so the host's pip setup (PIP_FIND_LINKS, a proxy,
// /etc/pip.conf) cannot change what pip sees.
RunResult run_clean(const stdfs::path& program, const std::vector<std::string>& args, const stdfs::path& scratch)
{
    std::vector<std::string> argv{"-u", "PYTHONPATH", "-u", "PYTHONHOME", "-u", "PYTHONUSERBASE"};
    for (char** e = environ; *e; ++e) {
        const std::string_view entry(*e);
        if (entry.starts_with("PIP_")) {
            argv.emplace_back("-u");
            argv.emplace_back(entry.substr(0, entry.find('=')));
        }
    }
    argv.insert(argv.end(), {"PIP_CONFIG_FILE=/dev/null", "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_INPUT=1",
                             "PIP_NO_CACHE_DIR=1", program.string()});
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program("/usr/bin/env", argv, scratch);
}

std::string failure(std::string_view what, const RunResult& run)
{
    return std::string(what) + " failed (exit " + std::to_string(run.status) + "): " + run.err;
}

}  // namespace

std::string canonical_project_name(std::string_view name)
{
    std::string out;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (!out.ends_with('-')) out += '-';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

void PrintTo(const ResolvedPackage& package, std::ostream* out)
{
    *out << package.name << "==" << package.version;
}

stdfs::path system_python()
{
    return "/usr/bin/python3";
}

stdfs::path pypi_index_tool()
{
    return source_root() / "tests" / "tools" / "pypi_index.py";
}

Result<PythonIndex> build_python_index(const std::string& spec_json, const stdfs::path& out_dir,
                                       const PythonIndexOptions& options)
{
    stdfs::create_directories(out_dir);
    const stdfs::path spec = out_dir / "spec.json";
    write_text(spec, spec_json);
    std::vector<std::string> args{pypi_index_tool().string(), "build", spec.string(), out_dir.string()};
    if (!options.metadata_files) args.emplace_back("--no-metadata-files");
    if (options.distro_wheels) args.emplace_back("--distro-wheels");
    const RunResult run = run_program(system_python(), args, out_dir);
    if (run.status != 0) return fail(ErrorCode::internal, failure("pypi_index.py build", run));
    return PythonIndex{out_dir, out_dir / "simple", out_dir / "files"};
}

Result<std::vector<ResolvedPackage>> pip_report(const std::string& index_url,
                                                const std::vector<std::string>& requirements, const PipTarget& target,
                                                const PipReportOptions& options)
{
    const ScratchDir scratch;
    const stdfs::path report = scratch.path() / "report.json";
    std::vector<std::string> args{"-m",
                                  "pip",
                                  "install",
                                  "--dry-run",
                                  "--report",
                                  report.string(),
                                  "--ignore-installed",
                                  "--target",
                                  (scratch.path() / "target").string()};
    for (const auto& platform : target.platforms) args.insert(args.end(), {"--platform", platform});
    args.insert(args.end(), {"--python-version", target.python_version, "--implementation", target.implementation,
                             "--only-binary=:all:", "--index-url", index_url});
    if (options.pre) args.emplace_back("--pre");
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    args.insert(args.end(), requirements.begin(), requirements.end());
    const RunResult run = run_clean(system_python(), args, scratch.path());
    if (run.status != 0) return fail(ErrorCode::internal, failure("pip install --dry-run --report", run));

    std::vector<ResolvedPackage> resolved;
    try {
        const auto doc = nlohmann::json::parse(read_text(report));
        for (const auto& item : doc.at("install")) {
            const auto& metadata = item.at("metadata");
            resolved.push_back(ResolvedPackage{canonical_project_name(metadata.at("name").get<std::string>()),
                                               metadata.at("version").get<std::string>()});
        }
    } catch (const std::exception& e) {
        return fail(ErrorCode::internal, std::string("pip's report: ") + e.what());
    }
    std::ranges::sort(resolved);
    return resolved;
}

Status make_venv(const stdfs::path& dir)
{
    stdfs::create_directories(dir.parent_path());
    const RunResult run = run_program(
        system_python(), {"-m", "venv", "--without-pip", "--system-site-packages", dir.string()}, dir.parent_path());
    if (run.status != 0) return fail(ErrorCode::internal, failure("python3 -m venv " + dir.string(), run));
    return {};
}

RunResult run_in_venv(const stdfs::path& venv, const std::vector<std::string>& args)
{
    return run_clean(venv / "bin" / "python", args, venv);
}

}  // namespace gapbundle::testing
