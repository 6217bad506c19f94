#pragma once

#include <gapbundle/util/error.hpp>

#include <string>
#include <vector>

namespace gapbundle::process {

// Runs argv[0] (looked up on PATH when it has no '/') with the other elements as its arguments,
// sharing this process's standard streams and environment, and waits for it. Returns its exit
// status, 128+N when signal N ended it. ErrorCode::io when it cannot be started.
// `stdout_to_stderr` sends the child's output to our stderr (when our stdout carries JSON).
Result<int> run(const std::vector<std::string>& argv, bool stdout_to_stderr = false);

}  // namespace gapbundle::process
