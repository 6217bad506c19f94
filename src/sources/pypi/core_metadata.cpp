#include <gapbundle/sources/pypi/core_metadata.hpp>

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace gapbundle::sources::pypi {

namespace {

struct Field {
    std::string name;
    std::string value;
};

// Like Python's email parser: a line that is neither a header nor a continuation starts the body.
std::vector<Field> read_headers(std::string_view text)
{
    std::vector<Field> fields;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t') {
            if (fields.empty()) break;
            std::string& value = fields.back().value;
            const std::string_view more = text::trim(line);
            if (!value.empty() && !more.empty()) value += ' ';
            value += more;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) break;
        const std::string_view name = line.substr(0, colon);
        if (name.find_first_of(" \t") != std::string_view::npos) break;
        fields.push_back(Field{std::string(name), std::string(text::trim(line.substr(colon + 1)))});
    }
    return fields;
}

}  // namespace

Result<CoreMetadata> parse_core_metadata(std::string_view text, std::string_view where)
{
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    CoreMetadata metadata;
    bool has_name = false;
    bool has_version = false;
    for (Field& field : read_headers(text)) {
        if (text::iequals(field.name, "Metadata-Version")) {
            metadata.metadata_version = std::move(field.value);
        } else if (text::iequals(field.name, "Name")) {
            metadata.name = std::move(field.value);
            has_name = true;
        } else if (text::iequals(field.name, "Version")) {
            metadata.version = std::move(field.value);
            has_version = true;
        } else if (text::iequals(field.name, "Requires-Dist")) {
            if (!field.value.empty()) metadata.requires_dist.push_back(std::move(field.value));
        } else if (text::iequals(field.name, "Requires-Python")) {
            if (!field.value.empty()) metadata.requires_python = std::move(field.value);
        } else if (text::iequals(field.name, "Provides-Extra")) {
            if (!field.value.empty()) metadata.provides_extra.push_back(std::move(field.value));
        }
    }
    const std::string prefix = std::string(where) + ": ";
    if (metadata.metadata_version.empty())
        return fail(ErrorCode::download, prefix + "core metadata without a Metadata-Version field");
    if (!has_name || metadata.name.empty())
        return fail(ErrorCode::download, prefix + "core metadata without a Name field");
    if (!is_valid_project_name(metadata.name))
        return fail(ErrorCode::download, prefix + "invalid Name '" + metadata.name + "' in core metadata");
    if (!has_version || metadata.version.empty())
        return fail(ErrorCode::download, prefix + "core metadata without a Version field");
    return metadata;
}

}  // namespace gapbundle::sources::pypi
