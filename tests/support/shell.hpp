#pragma once

// Shell commands the test fixtures run (tar, zstd, a Python helper), and files they write.

#include <filesystem>
#include <string>

namespace gapbundle::testing {

// The path in single quotes, safe for /bin/sh.
std::string shell_quoted(const std::filesystem::path& path);

// Runs a /bin/sh command with stderr folded into stdout; returns the output, or throws naming the
// command and what it printed when it exits non-zero.
std::string run_shell(const std::string& command);

// Writes content to path, making its parent folders; throws when it cannot.
void write_text_file(const std::filesystem::path& path, const std::string& content);

}  // namespace gapbundle::testing
