#include "components_json.hpp"

#include <gapbundle/util/json_text.hpp>

#include <algorithm>
#include <functional>
#include <tuple>

namespace gapbundle::bundle::detail {

namespace {

using nlohmann::json;

std::unexpected<Error> bad(std::string_view origin, const std::string& where, std::string_view why)
{
    return fail(ErrorCode::verification, std::string(origin) + ": " + where + ": " + std::string(why));
}

bool has_exactly(const json& object, std::initializer_list<std::string_view> keys)
{
    if (!object.is_object() || object.size() != keys.size()) return false;
    return std::ranges::all_of(keys, [&](std::string_view key) { return object.contains(key); });
}

bool is_string(const json& object, const char* key)
{
    return object.at(key).is_string() && !object.at(key).get_ref<const std::string&>().empty();
}

// A list of non-empty strings, sorted and unique.
Result<std::vector<std::string>> sorted_strings(const json& value, std::string_view origin, const std::string& where)
{
    if (!value.is_array()) return bad(origin, where, "must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string() || item.get_ref<const std::string&>().empty())
            return bad(origin, where, "must be a list of non-empty strings");
        out.push_back(item.get<std::string>());
        if (out.size() > 1 && !(out[out.size() - 2] < out.back())) return bad(origin, where, "must be sorted and unique");
    }
    return out;
}

Result<std::vector<ComponentDependency>> parse_dependencies(const json& value, std::string_view origin,
                                                            const std::string& where)
{
    if (!value.is_array()) return bad(origin, where, "'dependencies' must be a list");
    std::vector<ComponentDependency> out;
    for (const auto& item : value) {
        if (!has_exactly(item, {"name", "requirement"}) || !is_string(item, "name") || !is_string(item, "requirement"))
            return bad(origin, where, "each dependency is {\"name\", \"requirement\"}");
        ComponentDependency dependency{item.at("name").get<std::string>(), item.at("requirement").get<std::string>()};
        if (!out.empty() && !(std::tie(out.back().name, out.back().requirement) <
                              std::tie(dependency.name, dependency.requirement)))
            return bad(origin, where, "dependencies must be sorted and unique");
        out.push_back(std::move(dependency));
    }
    return out;
}

}  // namespace

namespace {

void append_list(std::string& out, const std::vector<std::string>& items)
{
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        json_text::append_string(out, items[i]);
    }
    out += ']';
}

}  // namespace

void append_component_start(std::string& out, const Component& component)
{
    out += "{\"dependencies\":[";
    for (std::size_t i = 0; i < component.dependencies.size(); ++i) {
        out += i == 0 ? "{\"name\":" : ",{\"name\":";
        json_text::append_string(out, component.dependencies[i].name);
        out += ",\"requirement\":";
        json_text::append_string(out, component.dependencies[i].requirement);
        out += '}';
    }
    out += "],\"kind\":";
    json_text::append_string(out, component.kind);
    out += ",\"name\":";
    json_text::append_string(out, component.name);
    out += ",\"paths\":[";
}

void append_component_end(std::string& out, const Component& component)
{
    out += ']';
    if (!component.platforms.empty()) {
        out += ",\"platforms\":";
        append_list(out, component.platforms);
    }
    out += ",\"requested\":";
    append_list(out, component.requested);
    out += ",\"version\":";
    json_text::append_string(out, component.version);
    out += '}';
}

namespace {

std::string where_of(std::size_t position, const Component& component)
{
    return "components[" + std::to_string(position) + "] (" + component.kind + " " + component.name + " " +
           component.version + ")";
}

}  // namespace

Result<Component> parse_component(const json& item, PathList paths, std::size_t position,
                                  std::string_view origin)
{
    std::string where = "components[" + std::to_string(position) + "]";
    const bool has_platforms = item.is_object() && item.contains("platforms");
    if (!(has_platforms ? has_exactly(item, {"kind", "name", "version", "paths", "requested", "dependencies",
                                             "platforms"})
                        : has_exactly(item, {"kind", "name", "version", "paths", "requested", "dependencies"})) ||
        !is_string(item, "kind") || !is_string(item, "name") || !is_string(item, "version"))
        return bad(origin, where,
                   "needs exactly kind, name, version, paths, requested and dependencies, and may have platforms");
    Component component;
    component.kind = item.at("kind").get<std::string>();
    component.name = item.at("name").get<std::string>();
    component.version = item.at("version").get<std::string>();
    where = where_of(position, component);
    // What was not taken out as a string stays in the item: any of it makes the list malformed.
    const json& rest = item.at("paths");
    if (!rest.is_array()) return bad(origin, where + ": 'paths'", "must be a list of strings");
    const auto non_empty = [](std::string_view path) { return !path.empty(); };
    if (!rest.empty() || !std::ranges::all_of(paths, non_empty))
        return bad(origin, where + ": 'paths'", "must be a list of non-empty strings");
    if (std::ranges::adjacent_find(paths, std::greater_equal<>()) != paths.end())
        return bad(origin, where + ": 'paths'", "must be sorted and unique");
    auto requested = sorted_strings(item.at("requested"), origin, where + ": 'requested'");
    if (!requested) return std::unexpected(requested.error());
    auto dependencies = parse_dependencies(item.at("dependencies"), origin, where);
    if (!dependencies) return std::unexpected(dependencies.error());
    component.paths = std::move(paths);
    component.requested = std::move(*requested);
    component.dependencies = std::move(*dependencies);
    if (has_platforms) {
        auto platforms = sorted_strings(item.at("platforms"), origin, where + ": 'platforms'");
        if (!platforms) return std::unexpected(platforms.error());
        if (platforms->empty()) return bad(origin, where, "'platforms' is left out when empty");
        component.platforms = std::move(*platforms);
    }
    return component;
}

Status check_components(const std::vector<Component>& components, const std::vector<Entry>& sorted_entries,
                        std::string_view origin)
{
    for (std::size_t i = 0; i < components.size(); ++i) {
        const auto& component = components[i];
        if (i > 0 && !(std::tie(components[i - 1].kind, components[i - 1].name, components[i - 1].version) <
                       std::tie(component.kind, component.name, component.version)))
            return bad(origin, where_of(i, component), "components must be sorted by kind, name and version, each once");
        for (const auto& path : component.paths) {
            auto it = std::ranges::lower_bound(sorted_entries, path, {}, &Entry::path);
            if (it == sorted_entries.end() || it->path != path || it->type != EntryType::file)
                return bad(origin, where_of(i, component), "'" + std::string(path) + "' is not a file of the bundle");
        }
    }
    return {};
}

}  // namespace gapbundle::bundle::detail
