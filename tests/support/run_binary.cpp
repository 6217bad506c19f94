#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <csignal>
#include <spawn.h>
#include <sys/resource.h>
#include <stdexcept>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace gapbundle::testing {

std::filesystem::path gapbundle_binary()
{
    const char* bin = std::getenv("GAPBUNDLE_BIN");
    if (!bin || !*bin) throw std::runtime_error("GAPBUNDLE_BIN is not set (run the tests through ctest)");
    return bin;
}

#ifndef GAPBUNDLE_SOURCE_DIR_DEFAULT
#define GAPBUNDLE_SOURCE_DIR_DEFAULT ""
#endif

std::filesystem::path source_root()
{
    const char* source = std::getenv("GAPBUNDLE_SOURCE_DIR");
    return source && *source ? source : GAPBUNDLE_SOURCE_DIR_DEFAULT;
}

namespace {

// posix_spawn cannot set a resource limit in the child: fork, then only async-signal-safe calls
// before exec.
pid_t spawn_limited(const std::filesystem::path& program, std::vector<char*>& argv, std::vector<char*>& envp,
                    const std::string& out_path, const std::string& err_path, std::uint64_t file_size_limit)
{
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot start " + program.string());
    if (pid > 0) return pid;
    const rlimit limit{static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)};
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        ::setrlimit(RLIMIT_FSIZE, &limit) != 0 || ::signal(SIGXFSZ, SIG_DFL) == SIG_ERR)
        ::_exit(127);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
}

}  // namespace

RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& scratch, const RunOptions& options)
{
    const auto& env = options.env;
    static int counter = 0;
    const std::string stem = (scratch / (".run" + std::to_string(++counter))).string();
    const std::string out_path = stem + ".out";
    const std::string err_path = stem + ".err";

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    std::vector<std::string> argv_storage{program.string()};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);

    // `env` entries replace inherited ones of the same name.
    const auto overridden = [&](std::string_view inherited) {
        for (const auto& entry : env) {
            const auto name = entry.substr(0, entry.find('=') + 1);
            if (inherited.starts_with(name)) return true;
        }
        return false;
    };
    std::vector<std::string> env_storage;
    for (char** e = environ; *e; ++e)
        if (!overridden(*e)) env_storage.emplace_back(*e);
    env_storage.insert(env_storage.end(), env.begin(), env.end());
    // Each test keeps its own channel state (unpack records what it accepted), never the machine's.
    const auto is_state = [](std::string_view e) { return e.starts_with("GAPBUNDLE_STATE_DIR="); };
    if (std::ranges::none_of(env_storage, is_state))
        env_storage.push_back("GAPBUNDLE_STATE_DIR=" + (scratch / ".state").string());
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    if (options.file_size_limit) {
        posix_spawn_file_actions_destroy(&actions);
        pid = spawn_limited(program, argv, envp, out_path, err_path, *options.file_size_limit);
    } else {
        const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start " + program.string());
    }
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0) {
    }
    RunResult result;
    result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    result.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    result.out = read_text(out_path);
    result.err = read_text(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return result;
}

}  // namespace gapbundle::testing
