#pragma once

// `install pip`: the Python packages of an unpacked bundle into a virtual environment (or an
// interpreter's own environment), with pip, offline, every file checked against its pinned hash.

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace gapbundle::ops {

struct InstallPipOptions {
    std::filesystem::path dir;                  // the unpacked bundle (holding pypi/)
    std::string python = "python3";             // the interpreter that makes the venv, or installs
    std::optional<std::filesystem::path> venv;  // created with `python -m venv` when missing
    bool quiet_stdout = false;                  // python's and pip's output to stderr (JSON on stdout)
};

struct InstallPipResult {
    std::filesystem::path python;  // the interpreter pip ran under
    bool venv_created = false;
    std::size_t packages = 0;      // pins in pypi/requirements.lock
};

// Runs `PYTHON -m pip install --isolated --require-hashes --no-index --find-links DIR/pypi/files
// -r DIR/pypi/requirements.lock`, pip's output going to this process's streams. --isolated keeps
// pip's configuration (PIP_* variables, pip.conf) from adding indexes or links.
// Errors: ErrorCode::usage when DIR holds no pip packages, ErrorCode::io when python, venv or
// pip fails (naming the command and its exit status).
Result<InstallPipResult> install_pip(const InstallPipOptions& options);

}  // namespace gapbundle::ops
