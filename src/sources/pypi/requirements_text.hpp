#pragma once

// The text layer of pip's requirements-file format: physical lines into logical lines, option
// splitting, and redaction for messages. requirements_file.cpp gives the lines their meaning.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi::requirements_text {

struct LogicalLine {
    std::size_t number = 0;            // 1-based number of the line it starts on
    std::string text;                  // continuation joined, comment removed, trimmed, ${VAR} expanded
    std::vector<std::string> secrets;  // values expanded from variables whose names look secret
};

// The value of an environment variable, nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// As pip's preprocess(): a UTF-8 BOM dropped; LF, CRLF or CR line ends; a line ending in a backslash
// joins the next (a comment line never continues); '#' at the start or after whitespace starts a
// comment; blank lines dropped; ${NAME} (A-Z, 0-9, _) replaced by its value when set and not empty.
std::vector<LogicalLine> logical_lines(std::string_view text, const EnvLookup& env);

// Splits options the way POSIX shells (and Python's shlex.split) do: whitespace separates, quotes
// and backslashes escape. nullopt on an unclosed quote or a trailing backslash.
std::optional<std::vector<std::string>> split_options(std::string_view text);

// `text` with the password of every "scheme://user:password@" replaced by "***" (a user without a
// password is taken for a token and replaced whole), then every secret replaced by "***".
std::string redact(std::string_view text, const std::vector<std::string>& secrets);

// Whether a variable name looks like it holds a secret (TOKEN, PASSWORD, KEY, ...).
bool looks_secret(std::string_view name);

}  // namespace gapbundle::sources::pypi::requirements_text
