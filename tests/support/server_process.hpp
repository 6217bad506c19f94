#pragma once

#include <sys/types.h>
#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::testing {

// A real server program run for a test: stdin from /dev/null, stdout and stderr into `log`.
// The constructor returns once it accepts connections on 127.0.0.1:`port`; the destructor stops
// it (SIGTERM, SIGKILL after 5 seconds) and waits for it.
class ServerProcess {
public:
    // Throws std::runtime_error with the log when the program exits or is not up within 10 seconds.
    ServerProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                  const std::filesystem::path& log, int port);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

private:
    void wait_until_up();
    void stop();

    std::string m_name;  // the program's file name, for errors
    std::filesystem::path m_log;
    int m_port;
    pid_t m_pid = -1;
};

}  // namespace gapbundle::testing
