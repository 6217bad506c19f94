#pragma once

#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gapbundle::process {

// Runs argv[0] (looked up on PATH when it has no '/') with the other elements as its arguments,
// sharing this process's standard streams and environment, and waits for it. Returns its exit
// status, 128+N when signal N ended it. ErrorCode::io when it cannot be started.
// `stdout_to_stderr` sends the child's output to our stderr (when our stdout carries JSON).
Result<int> run(const std::vector<std::string>& argv, bool stdout_to_stderr = false);

struct Captured {
    int status = 0;      // as run() returns it
    std::string output;  // standard output and error, interleaved as written; the first max_bytes
};

// As run(), with the child's standard output and error read into `output` instead.
Result<Captured> run_capturing(const std::vector<std::string>& argv, std::size_t max_bytes = 1 << 20);

// A child left running (a loopback server), its output appended to a log file. Stopped with
// SIGTERM and waited for when the handle goes.
class Background {
public:
    static Result<Background> start(const std::vector<std::string>& argv, const std::filesystem::path& log);
    Background(Background&& other) noexcept : m_pid(std::exchange(other.m_pid, -1)) {}
    Background& operator=(Background&&) = delete;
    Background(const Background&) = delete;
    ~Background();

    // False once the child has ended (it was waited for).
    [[nodiscard]] bool running();

private:
    explicit Background(int pid) : m_pid(pid) {}
    int m_pid = -1;
};

}  // namespace gapbundle::process
