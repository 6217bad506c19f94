#pragma once

#include <gapbundle/sources/pypi/requirement.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

// One requirement of a pip requirements file.
struct RequirementLine {
    Requirement requirement;
    std::vector<std::string> hashes;  // from --hash=sha256:HEX, lowercase "sha256:hex", in order, duplicates dropped
    std::string where;                // "path/to/requirements.txt:12" (the line the requirement starts on)
};

// A pip requirements file with everything it includes.
struct RequirementsFile {
    std::vector<RequirementLine> requirements;  // from the file and every -r file it includes, in order
    std::vector<RequirementLine> constraints;   // from -c files (and -r files inside those), in order
    std::optional<std::string> index_url;       // -i / --index-url (the last one wins, as pip)
    std::vector<std::string> extra_index_urls;  // --extra-index-url, in order, duplicates dropped
    bool pre = false;                           // --pre
};

inline constexpr std::uint64_t k_max_requirements_file_bytes = 16 * 1024 * 1024;
inline constexpr std::size_t k_max_requirements_include_depth = 32;

// Reads `file` and everything it includes; relative -r/-c paths resolve against the including file's
// folder. The format is pip's (continuation lines, comments, ${VAR} from the environment, -r, -c,
// --hash, -i, --extra-index-url, --pre); options gapbundle cannot honour (-e, -f, --no-binary, ...)
// and direct URL or path requirements are errors. Errors are ErrorCode::manifest and start with
// "FILE:LINE: " (just "FILE: " when the file itself cannot be read); credentials in URLs are redacted
// in messages.
Result<RequirementsFile> read_requirements_file(const std::filesystem::path& file);

// The same from text already read (`file` names it in messages and anchors relative includes).
Result<RequirementsFile> parse_requirements_text(std::string_view text, const std::filesystem::path& file);

}  // namespace gapbundle::sources::pypi
