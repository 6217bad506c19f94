#include <gapbundle/ops/install_pip.hpp>

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/process.hpp>

namespace gapbundle::ops {

namespace {

constexpr std::uint64_t k_max_lock_bytes = 64ull << 20;

Status run_step(const std::vector<std::string>& argv, const std::string& what, bool quiet_stdout)
{
    auto status = process::run(argv, quiet_stdout);
    if (!status) return std::unexpected(status.error().context(what));
    if (*status != 0) {
        std::string command;
        for (const auto& arg : argv) command += (command.empty() ? "" : " ") + arg;
        return fail(ErrorCode::io, what + " failed (exit status " + std::to_string(*status) + "): " + command);
    }
    return {};
}

// Lines that start a pin: "name==version \".
std::size_t count_pins(const std::string& lock)
{
    std::size_t pins = 0;
    std::size_t start = 0;
    while (start < lock.size()) {
        const auto end = lock.find('\n', start);
        const std::string_view line(lock.data() + start, (end == std::string::npos ? lock.size() : end) - start);
        if (!line.empty() && line.front() != '#' && line.front() != ' ' && line.find("==") != std::string_view::npos)
            ++pins;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return pins;
}

}  // namespace

Result<InstallPipResult> install_pip(const InstallPipOptions& options)
{
    const auto files = options.dir / "pypi" / "files";
    const auto lock = options.dir / "pypi" / "requirements.lock";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(lock, ec) || !std::filesystem::is_directory(files, ec))
        return fail(ErrorCode::usage, options.dir.string() + " has no pypi/requirements.lock and pypi/files: "
                                                             "not an unpacked bundle with pip packages");
    auto text = fs::read_small_file(lock, k_max_lock_bytes);
    if (!text) return std::unexpected(text.error());

    InstallPipResult result;
    result.packages = count_pins(*text);
    result.python = options.python;
    if (options.venv) {
        const auto venv_python = *options.venv / "bin" / "python";
        if (!std::filesystem::exists(venv_python, ec)) {
            if (auto st = run_step({options.python, "-m", "venv", options.venv->string()},
                                   "creating the virtual environment " + options.venv->string(), options.quiet_stdout);
                !st)
                return std::unexpected(st.error());
            result.venv_created = true;
        }
        result.python = venv_python;
    }
    if (auto st = run_step({result.python.string(), "-m", "pip", "install", "--isolated", "--disable-pip-version-check",
                            "--require-hashes", "--no-index", "--find-links", files.string(), "-r", lock.string()},
                           "pip install", options.quiet_stdout);
        !st)
        return std::unexpected(st.error());
    return result;
}

}  // namespace gapbundle::ops
