#pragma once

// Python package indexes for tests, and real pip as the oracle.
//
// build_python_index runs tests/tools/pypi_index.py (its docstring describes the spec format);
// serve the result with HttpTestServer::serve_simple_index(prefix + "/simple", index.simple, ...)
// beside serve_dir("/files", index.files), or with scripts/lib.sh's start_simple_index.
//
// pip here is the distribution's (/usr/bin/python3 -m pip, 23.0.1), run with no configuration
// files and no PIP_* settings from the environment. It never installs into the system: reports
// use --dry-run --target, and venvs are separate. Two pip 23.0 quirks the specs must respect:
// with PEP 658 metadata files in HTML pages, pip requires a requirement's name to be spelled
// exactly as the METADATA Name ("Top.App" works, "top-app" is discarded as inconsistent; fixed
// in pip 23.1); and it reads PEP 658 hashes from HTML only (JSON pages carry PEP 714 keys).
// Also: pip evaluates environment markers for the interpreter it runs on (Linux, CPython 3.11),
// whatever PipTarget says, so `; sys_platform == "win32"` requirements never count in a report;
// only wheel tags and Requires-Python follow the target.

#include <gapbundle/util/error.hpp>

#include "support/run_binary.hpp"

#include <compare>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::testing {

// PEP 503 normalisation, kept apart from the code under test: lowercase, runs of '-', '_', '.'
// become one '-'.
std::string canonical_project_name(std::string_view name);

// The distribution's interpreter, /usr/bin/python3 (never a pyenv shim from PATH).
std::filesystem::path system_python();

// tests/tools/pypi_index.py under $GAPBUNDLE_SOURCE_DIR (set by ctest), else under the source
// folder this support library was built from.
std::filesystem::path pypi_index_tool();

struct PythonIndexOptions {
    bool metadata_files = true;  // PEP 658 FILE.metadata beside each wheel
    bool distro_wheels = false;  // add /usr/share/python-wheels/*.whl (pip, setuptools, wheel)
};

// What build_python_index wrote.
struct PythonIndex {
    std::filesystem::path root;    // out_dir
    std::filesystem::path simple;  // root/simple: the Simple API pages
    std::filesystem::path files;   // root/files: wheels, sdists, .metadata files
};

// Writes `spec_json` to out_dir/spec.json and runs `pypi_index.py build` into out_dir.
// ErrorCode::internal with the tool's stderr when it fails.
Result<PythonIndex> build_python_index(const std::string& spec_json, const std::filesystem::path& out_dir,
                                       const PythonIndexOptions& options);

// The environment pip resolves for (pip's --platform, --python-version, --implementation).
// pip does not widen a platform to older manylinux tags: list each one.
struct PipTarget {
    std::string python_version = "3.11";
    std::vector<std::string> platforms = {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64"};
    std::string implementation = "cp";
};

struct PipReportOptions {
    bool pre = false;                     // --pre
    std::vector<std::string> extra_args;  // more pip install arguments
};

struct ResolvedPackage {
    std::string name;  // canonical (PEP 503)
    std::string version;
    auto operator<=>(const ResolvedPackage&) const = default;
};
void PrintTo(const ResolvedPackage& package, std::ostream* out);  // "name==version" in test output

// `pip install --dry-run --report --ignore-installed --target --only-binary=:all:` against
// `index_url` for `requirements`: what pip would install, sorted by name. ErrorCode::internal
// with pip's exit status and stderr when pip fails (no resolution, bad requirement...).
Result<std::vector<ResolvedPackage>> pip_report(const std::string& index_url,
                                                const std::vector<std::string>& requirements, const PipTarget& target,
                                                const PipReportOptions& options);

// A venv at `dir` made by the system python, --without-pip --system-site-packages: its pip is the
// distribution's (found through the system site packages), which keeps this well under a second
// where ensurepip takes ten. ErrorCode::internal with stderr on failure.
Status make_venv(const std::filesystem::path& dir);

// Runs dir/bin/python with `args`, with pip's configuration files and PIP_* settings from the
// environment left out ("-m pip install --index-url URL NAME" installs into the venv).
RunResult run_in_venv(const std::filesystem::path& venv, const std::vector<std::string>& args);

}  // namespace gapbundle::testing
