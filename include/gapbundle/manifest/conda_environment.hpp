#pragma once

// conda's environment file (environment.yml), as `conda env create -f` reads it: its channels,
// its conda dependencies, and its `pip:` list, which goes to the pip kind.

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest {

// A line of the file as written, and where it is.
using EnvironmentLine = TextLine;

struct CondaEnvironment {
    std::filesystem::path file;
    std::string name;                      // `name`, empty when absent
    std::vector<EnvironmentLine> channels;  // names or URLs, as written ("nodefaults" included)
    std::vector<EnvironmentLine> specs;     // conda MatchSpecs
    std::vector<EnvironmentLine> pip;       // the `pip:` entry's lines: requirements, "-r file", options

    // "FILE:LINE:COL", for messages about a line.
    [[nodiscard]] std::string location(const Mark& mark) const;
};

// `name`, `channels`, `dependencies` (strings, and at most one `pip:` mapping with a list), and
// `prefix` and `variables`, which concern where and how the environment is installed and are
// read past. Any other key, or a value of the wrong shape, is an ErrorCode::manifest error
// "FILE:LINE:COL: message".
Result<CondaEnvironment> parse_conda_environment(std::string_view yaml, const std::filesystem::path& file);
Result<CondaEnvironment> load_conda_environment(const std::filesystem::path& file);

}  // namespace gapbundle::manifest
