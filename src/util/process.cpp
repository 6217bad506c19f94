#include <gapbundle/util/process.hpp>

#include <gapbundle/util/file_handles.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
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

// Starts argv with `actions`; its pid.
Result<pid_t> spawn(const std::vector<std::string>& argv, FileActions& actions)
{
    if (argv.empty()) return fail(ErrorCode::internal, "process: no program");
    if (!actions.ok()) return fail(ErrorCode::io, "cannot run " + argv.front() + ": out of memory");
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    if (const int error = posix_spawnp(&pid, argv.front().c_str(), actions.get(), nullptr, args.data(), environ);
        error != 0)
        return fail(ErrorCode::io, "cannot run " + argv.front() + ": " + std::strerror(error));
    return pid;
}

Result<int> wait_for(pid_t pid, const std::string& name)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return fail(ErrorCode::io, "waiting for " + name + ": " + std::strerror(errno));
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace

Result<int> run(const std::vector<std::string>& argv, bool stdout_to_stderr)
{
    FileActions actions;
    if (stdout_to_stderr && actions.ok())
        posix_spawn_file_actions_adddup2(actions.get(), STDERR_FILENO, STDOUT_FILENO);
    auto pid = spawn(argv, actions);
    if (!pid) return std::unexpected(pid.error());
    return wait_for(*pid, argv.front());
}

Result<Captured> run_capturing(const std::vector<std::string>& argv, std::size_t max_bytes)
{
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return fail(ErrorCode::io, std::string("cannot make a pipe: ") + std::strerror(errno));
    UniqueFd read_end(ends[0]);
    UniqueFd write_end(ends[1]);
    FileActions actions;
    if (actions.ok()) {
        posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDERR_FILENO);
    }
    auto pid = spawn(argv, actions);
    if (!pid) return std::unexpected(pid.error());
    write_end.reset();  // so that the read ends when the child (and its children) close theirs
    Captured out;
    char buffer[16 << 10];
    for (;;) {
        const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        const std::size_t room = max_bytes - std::min(max_bytes, out.output.size());
        out.output.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    }
    auto status = wait_for(*pid, argv.front());
    if (!status) return std::unexpected(status.error());
    out.status = *status;
    return out;
}

Result<Background> Background::start(const std::vector<std::string>& argv, const std::filesystem::path& log)
{
    UniqueFd log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!log_fd.valid()) return fail(ErrorCode::io, log.string() + ": " + std::strerror(errno));
    FileActions actions;
    if (actions.ok()) {
        posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(actions.get(), log_fd.get(), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(actions.get(), log_fd.get(), STDERR_FILENO);
    }
    auto pid = spawn(argv, actions);
    if (!pid) return std::unexpected(pid.error());
    return Background(*pid);
}

bool Background::running()
{
    if (m_pid <= 0) return false;
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) == m_pid) m_pid = -1;
    return m_pid > 0;
}

Background::~Background()
{
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace gapbundle::process
