#pragma once

// Checked access to a parsed YAML tree: every complaint becomes an ErrorCode::manifest error
// "FILE:LINE:COL: message" from the offending node's mark.

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/util/error.hpp>

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::manifest::detail {

// 1-based; a null mark (empty document) becomes 1:1.
Mark to_mark(const YAML::Mark& mark);
std::string format_location(const std::filesystem::path& file, Mark mark);

// The known word within edit distance 2 of `word` (the closest, first on ties).
std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> known);

class YamlReader;

// A name environment variables may have: letters, digits and '_', not starting with a digit.
bool is_env_name(std::string_view name);

class YamlReader {
public:
    explicit YamlReader(std::filesystem::path file) : m_file(std::move(file)) {}

    [[nodiscard]] std::unexpected<Error> error(const YAML::Mark& mark, std::string_view message) const;
    [[nodiscard]] const std::filesystem::path& file() const { return m_file; }

    // Rejects non-scalar keys, duplicate keys and unknown keys (with a "did you mean" hint).
    // `where` names the mapping: "files[0]" or "".
    [[nodiscard]] Status check_keys(const YAML::Node& map, std::span<const std::string_view> known,
                                    std::string_view where) const;

    // The non-empty scalar at map[key]; `what` names it in errors: "'name'", "files[0]: 'url'".
    [[nodiscard]] Result<std::string> string(const YAML::Node& map, const char* key, std::string_view what) const;

    // Where map[key] is: its value, or the key when the value is empty (yaml-cpp marks an empty
    // value at the next token, often the next line).
    [[nodiscard]] static YAML::Mark mark_of(const YAML::Node& map, std::string_view key);

private:
    std::filesystem::path m_file;
};

// The list of non-empty strings at map[key], each with its mark; absent or null is an empty list.
// `what` names it in errors: "pip: 'requirements' must be a list", "pip: 'requirements'[2] must be a
// non-empty string".
Result<std::vector<TextLine>> text_lines(const YamlReader& reader, const YAML::Node& map, const char* key,
                                         const std::string& what);

// The one YAML document of `yaml`: a syntax error, or a second document, is an error at its mark.
Result<YAML::Node> load_one_document(const YamlReader& reader, std::string_view yaml);

// The environment variable name at map[key] (nullopt when absent), as in `username_env: NGC_USER`.
// `where` names the mapping in errors, which say that secrets never go in the manifest.
Result<std::optional<std::string>> parse_env_name(const YamlReader& reader, const YAML::Node& map, const char* key,
                                                  const std::string& where);

}  // namespace gapbundle::manifest::detail
