#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::testing {

struct RunResult {
    int status = -1;  // exit status; 128+N when killed by signal N
    int signal = 0;   // the signal that killed it, 0 when it exited
    std::string out;
    std::string err;
};

struct RunOptions {
    std::vector<std::string> env;  // "NAME=value", replacing an inherited NAME
    // RLIMIT_FSIZE in the child (gapbundle ignores SIGXFSZ itself, so a write past it fails with
    // EFBIG, "File too large", as one onto a full disk fails with ENOSPC).
    std::optional<std::uint64_t> file_size_limit;
};

// The gapbundle binary under test ($GAPBUNDLE_BIN, set by ctest).
std::filesystem::path gapbundle_binary();

// The source tree ($GAPBUNDLE_SOURCE_DIR, set by ctest, else the one this build came from), for
// the tools and data under tests/.
std::filesystem::path source_root();

// Runs `program args...` with stdin from /dev/null, capturing stdout and stderr through files in
// `scratch`. `env` entries "NAME=value" are added to the environment.
RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& scratch, const RunOptions& options);
inline RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                             const std::filesystem::path& scratch, const std::vector<std::string>& env = {})
{
    return run_program(program, args, scratch, RunOptions{env, std::nullopt});
}

inline RunResult run_gapbundle(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                               const std::vector<std::string>& env = {})
{
    return run_program(gapbundle_binary(), args, scratch, env);
}

}  // namespace gapbundle::testing
