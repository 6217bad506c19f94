#pragma once

// allow_patterns / ignore_patterns as huggingface_hub's filter_repo_objects applies them (read at
// huggingface_hub 1.29.0.dev0, utils/_paths.py): Python's fnmatch.fnmatchcase on the repo path,
// case-sensitive everywhere, where `*` also crosses '/', `?` is one character, `[seq]` and
// `[!seq]` are sets (with CPython's fnmatch.translate quirks for ranges), and there is no escape
// character. Backslashes in patterns and paths count as '/', and a pattern ending in '/' gets a
// '*' (so "onnx/" keeps everything below onnx/). Characters are Unicode code points of UTF-8.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::hf {

// fnmatch.fnmatchcase(name, pattern): the whole name must match.
bool fnmatch_case(std::string_view name, std::string_view pattern);

struct PathFilter {
    // None: every path is allowed; an empty list allows nothing (as in huggingface_hub).
    std::optional<std::vector<std::string>> allow;
    std::optional<std::vector<std::string>> ignore;
};

// Kept when it matches an allow pattern (if any are given) and no ignore pattern.
bool keep_path(const PathFilter& filter, std::string_view path);

// The kept paths, in their order.
std::vector<std::string> filter_paths(const PathFilter& filter, const std::vector<std::string>& paths);

}  // namespace gapbundle::sources::hf
