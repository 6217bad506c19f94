#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::testing {

struct RunResult {
    int status = -1;  // exit status; 128+N when killed by signal N
    std::string out;
    std::string err;
};

// The gapbundle binary under test ($GAPBUNDLE_BIN, set by ctest).
std::filesystem::path gapbundle_binary();

// Runs `program args...` with stdin from /dev/null, capturing stdout and stderr through files in
// `scratch`. `env` entries "NAME=value" are added to the environment.
RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& scratch, const std::vector<std::string>& env = {});

inline RunResult run_gapbundle(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                               const std::vector<std::string>& env = {})
{
    return run_program(gapbundle_binary(), args, scratch, env);
}

}  // namespace gapbundle::testing
