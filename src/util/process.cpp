#include <gapbundle/util/process.hpp>

#include <cerrno>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace gapbundle::process {

namespace {

// Owns posix_spawn's file actions.
class FileActions {
public:
    FileActions() { m_ok = posix_spawn_file_actions_init(&m_actions) == 0; }
    ~FileActions()
    {
        if (m_ok) posix_spawn_file_actions_destroy(&m_actions);
    }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;

    [[nodiscard]] bool ok() const { return m_ok; }
    posix_spawn_file_actions_t* get() { return &m_actions; }

private:
    posix_spawn_file_actions_t m_actions{};
    bool m_ok = false;
};

}  // namespace

Result<int> run(const std::vector<std::string>& argv, bool stdout_to_stderr)
{
    if (argv.empty()) return fail(ErrorCode::internal, "process::run: no program");
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    FileActions actions;
    if (!actions.ok()) return fail(ErrorCode::io, "cannot run " + argv.front() + ": out of memory");
    if (stdout_to_stderr) posix_spawn_file_actions_adddup2(actions.get(), STDERR_FILENO, STDOUT_FILENO);
    pid_t pid = 0;
    if (const int error = posix_spawnp(&pid, argv.front().c_str(), actions.get(), nullptr, args.data(), environ);
        error != 0)
        return fail(ErrorCode::io, "cannot run " + argv.front() + ": " + std::strerror(error));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return fail(ErrorCode::io, "waiting for " + argv.front() + ": " + std::strerror(errno));
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace gapbundle::process
