#include "yaml_reader.hpp"

#include "yaml_document.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace gapbundle::manifest::detail {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string in_quotes(std::string_view text)
{
    return "'" + std::string(text) + "'";
}

}  // namespace

bool is_env_name(std::string_view name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
    for (const char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
    return true;
}

Result<std::optional<std::string>> parse_env_name(const YamlReader& reader, const YAML::Node& map, const char* key,
                                                  const std::string& where)
{
    if (!map[key]) return std::nullopt;
    auto name = reader.string(map, key, where + ": '" + key + "'");
    if (!name) return std::unexpected(name.error());
    if (!is_env_name(*name))
        return reader.error(map[key].Mark(), where + ": '" + key + "' names an environment variable (like NGC_USER), got '" +
                                                 *name + "'; secrets never go in the manifest");
    return *name;
}

Result<std::vector<TextLine>> text_lines(const YamlReader& reader, const YAML::Node& map, const char* key,
                                         const std::string& what)
{
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return std::vector<TextLine>{};
    if (!node.IsSequence()) return reader.error(YamlReader::mark_of(map, key), what + " must be a list");
    std::vector<TextLine> lines;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        if (!item.IsScalar() || item.Scalar().empty())
            return reader.error(item.Mark(), what + "[" + std::to_string(i) + "] must be a non-empty string");
        lines.push_back(TextLine{item.Scalar(), to_mark(item.Mark())});
    }
    return lines;
}

Mark to_mark(const YAML::Mark& mark)
{
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return Mark{1, 1};
    return Mark{mark.line + 1, mark.column + 1};
}

std::string format_location(const std::filesystem::path& file, Mark mark)
{
    return (mark.file.empty() ? file : mark.file).string() + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

std::optional<std::string_view> closest_word(std::string_view word, std::span<const std::string_view> known)
{
    std::optional<std::string_view> best;
    std::size_t best_distance = 3;
    for (const auto candidate : known) {
        const auto distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::unexpected<Error> YamlReader::error(const YAML::Mark& mark, std::string_view message) const
{
    return std::unexpected(Error{ErrorCode::manifest, format_location(m_file, to_mark(mark)) + ": " + std::string(message)});
}

Status YamlReader::check_keys(const YAML::Node& map, std::span<const std::string_view> known, std::string_view where) const
{
    const std::string in = where.empty() ? "" : " in " + std::string(where);
    std::set<std::string, std::less<>> seen;
    for (const auto& item : map) {
        const YAML::Node& key = item.first;
        if (!key.IsScalar()) return error(key.Mark(), "keys must be plain words" + in);
        const std::string& name = key.Scalar();
        if (!seen.insert(name).second) return error(key.Mark(), "duplicate key " + in_quotes(name) + in);
        if (std::ranges::find(known, name) != known.end()) continue;
        std::string message = "unknown key " + in_quotes(name) + in;
        if (auto hint = closest_word(name, known)) message += " (did you mean " + in_quotes(*hint) + "?)";
        return error(key.Mark(), message);
    }
    return {};
}

YAML::Mark YamlReader::mark_of(const YAML::Node& map, std::string_view key)
{
    for (const auto& item : map) {
        if (!item.first.IsScalar() || item.first.Scalar() != key) continue;
        return item.second.IsNull() ? item.first.Mark() : item.second.Mark();
    }
    return map.Mark();
}

Result<std::string> YamlReader::string(const YAML::Node& map, const char* key, std::string_view what) const
{
    const YAML::Node value = map[key];
    const auto mark = mark_of(map, key);
    if (!value || value.IsNull() || (value.IsScalar() && value.Scalar().empty()))
        return error(mark, std::string(what) + " must not be empty");
    if (!value.IsScalar()) return error(mark, std::string(what) + " must be a string");
    return value.Scalar();
}

Result<YAML::Node> load_one_document(const YamlReader& reader, std::string_view yaml)
{
    try {
        auto document = load_single_document(std::string(yaml));
        if (document.second) return reader.error(*document.second, "only one YAML document is allowed");
        return document.root;
    } catch (const YAML::Exception& e) {
        return reader.error(e.mark, e.msg);
    }
}

}  // namespace gapbundle::manifest::detail
