#include <gapbundle/report/report_model.hpp>

#include "index_lookup.hpp"

#include <gapbundle/ops/bundle_diff.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace gapbundle::report {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t k_largest = 20;
constexpr int k_max_tree_depth = 64;

// The kind whose files sit under a top folder of the bundle.
std::string area_kind(std::string_view area)
{
    static const std::map<std::string_view, std::string_view> kinds{
        {"files", "files"}, {"oci", "images"}, {"pypi", "pip"},       {"hf", "huggingface"},
        {"conda", "conda"}, {"helm", "helm"},  {"gapbundle", "gapbundle"}};
    const auto it = kinds.find(area);
    return it == kinds.end() ? std::string(area) : std::string(it->second);
}

std::string top_folder(std::string_view path)
{
    return std::string(path.substr(0, path.find('/')));
}

std::string file_name(std::string_view path)
{
    const auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// A wheel's tags ("py3-none-any") from NAME-VERSION(-BUILD)?-PY-ABI-PLATFORM.whl; "" for an sdist.
std::string wheel_tags(std::string_view file)
{
    if (!file.ends_with(".whl")) return {};
    file.remove_suffix(4);
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto dash = file.find('-', start);
        parts.push_back(file.substr(start, dash - start));
        if (dash == std::string_view::npos) break;
        start = dash + 1;
    }
    if (parts.size() < 5) return {};
    return std::string(parts[parts.size() - 3]) + "-" + std::string(parts[parts.size() - 2]) + "-" +
           std::string(parts.back());
}

json bundle_json(const ops::IndexDocument& document)
{
    const auto& index = document.index;
    json out{{"name", index.name},
             {"channel", bundle::channel_of(index)},
             {"serial", index.serial},
             {"created", index.created},
             {"expires", index.expires ? json(*index.expires) : json(nullptr)},
             {"producer", index.producer},
             {"index_sha256", document.index_sha256},
             {"manifest_sha256", index.manifest_sha256},
             {"lock_sha256", index.lock_sha256},
             {"source", document.source == ops::IndexSource::bundle ? "bundle" : "index"}};
    if (index.base)
        out["base"] = {{"channel", index.base->channel}, {"serial", index.base->serial},
                       {"index_sha256", index.base->index_sha256}};
    return out;
}

json signatures_json(const ReportInput& input)
{
    json out = json::array();
    for (const auto& signature : input.document->signatures) {
        json trusted = nullptr;
        if (input.trust)
            trusted = std::ranges::find(input.trust->trusted_signers, signature.keyid) != input.trust->trusted_signers.end();
        out.push_back({{"keyid", signature.keyid}, {"alg", signature.alg}, {"trusted", trusted}});
    }
    return out;
}

class ModelBuilder {
public:
    ModelBuilder(const bundle::Index& index, FileLists lists) : m_index(index), m_entries(index.entries), m_lists(lists) {}

    json totals() const
    {
        std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> areas;  // files, bytes
        std::uint64_t files = 0;
        std::uint64_t bytes = 0;
        for (const auto& entry : m_index.entries) {
            if (entry.type != bundle::EntryType::file) continue;
            auto& [count, size] = areas[top_folder(entry.path)];
            ++count;
            size += entry.size;
            ++files;
            bytes += entry.size;
        }
        json list = json::array();
        for (const auto& [area, figures] : areas)
            list.push_back({{"area", area}, {"kind", area_kind(area)}, {"files", figures.first}, {"bytes", figures.second}});
        return {{"entries", m_index.entries.size()}, {"files", files}, {"bytes", bytes}, {"areas", list}};
    }

    json kinds() const
    {
        json out = json::object();
        for (const auto& component : m_index.components) {
            if (!out.contains(component.kind)) out[component.kind] = json::array();
            out[component.kind].push_back(component_json(component));
        }
        return out;
    }

    // What lies under files/ without a files component: links, and every file of a bundle made
    // before files entries were components.
    json loose_files() const
    {
        json out = json::array();
        for_each_loose_file(m_index, [&](const bundle::Entry& entry) {
            if (entry.type == bundle::EntryType::symlink)
                out.push_back({{"path", entry.path}, {"link", entry.link_target}});
            else
                out.push_back({{"path", entry.path}, {"size", entry.size}, {"sha256", entry.sha256}});
        });
        return out;
    }

    json trees() const
    {
        json out = json::object();
        for (const char* kind : {"pip", "conda"}) {
            std::map<std::string, const bundle::Component*> by_name;
            for (const auto& component : m_index.components)
                if (component.kind == kind) by_name.emplace(component.name, &component);
            if (by_name.empty()) continue;
            json roots = json::array();
            std::set<std::string> expanded;
            for (const auto& [name, component] : by_name)
                if (!component->requested.empty())
                    roots.push_back(tree_node(*component, "", by_name, expanded, 0));
            out[kind] = std::move(roots);
        }
        return out;
    }

    json largest() const
    {
        std::vector<std::pair<std::uint64_t, const bundle::Component*>> sized;
        for (const auto& component : m_index.components) sized.emplace_back(bytes_of(component), &component);
        std::ranges::sort(sized, [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : std::tie(a.second->kind, a.second->name) < std::tie(b.second->kind, b.second->name);
        });
        json out = json::array();
        for (std::size_t i = 0; i < sized.size() && i < k_largest; ++i)
            out.push_back({{"kind", sized[i].second->kind},
                           {"name", sized[i].second->name},
                           {"version", sized[i].second->version},
                           {"bytes", sized[i].first}});
        return out;
    }

private:
    std::uint64_t bytes_of(const bundle::Component& component) const
    {
        std::uint64_t bytes = 0;
        for (const auto& path : component.paths)
            if (const auto* entry = m_entries.find(path)) bytes += entry->size;
        return bytes;
    }

    json component_json(const bundle::Component& component) const
    {
        json dependencies = json::array();
        for (const auto& dependency : component.dependencies)
            dependencies.push_back({{"name", dependency.name}, {"requirement", dependency.requirement}});
        json out{{"name", component.name}, {"version", component.version}, {"requested", component.requested},
                 {"dependencies", dependencies}};
        if (m_lists == FileLists::listed) {
            json files = json::array();
            for (const auto& path : component.paths)
                if (const auto* entry = m_entries.find(path))
                    files.push_back({{"path", std::string(path)}, {"size", entry->size}, {"sha256", entry->sha256}});
            out["files"] = std::move(files);
        }
        out["bytes"] = bytes_of(component);
        add_kind_details(component, out);
        return out;
    }

    void add_kind_details(const bundle::Component& component, json& out) const
    {
        if (component.kind == "pip") {
            json tags = json::array();
            for (const auto& path : component.paths)
                if (auto t = wheel_tags(file_name(path)); !t.empty()) tags.push_back(t);
            out["tags"] = tags;
        } else if (component.kind == "conda" && !component.paths.empty()) {
            // conda/<channel>/<subdir>/<name>-<version>-<build>.<ext>
            const std::string_view path = component.paths.front();
            const auto first = path.find('/');
            const auto second = path.find('/', first + 1);
            const auto third = path.find('/', second + 1);
            if (first != std::string::npos && second != std::string::npos && third != std::string::npos) {
                out["channel"] = path.substr(first + 1, second - first - 1);
                out["subdir"] = path.substr(second + 1, third - second - 1);
            }
            std::string file = file_name(path);
            for (const char* ext : {".conda", ".tar.bz2"})
                if (file.ends_with(ext)) file.resize(file.size() - std::string_view(ext).size());
            const std::string prefix = component.name + "-" + component.version + "-";
            out["build"] = file.starts_with(prefix) ? file.substr(prefix.size()) : std::string();
        } else if (component.kind == "images") {
            out["digest"] = component.version;
            out["platforms"] = component.platforms;  // empty: one manifest, its platform in its config
        } else if (component.kind == "files") {
            out["source"] = component.requested.empty() ? std::string() : component.requested.front();
        } else if (component.kind == "huggingface") {
            out["commit"] = component.version;
        } else if (component.kind == "helm") {
            // The images its chart asked for: their components name it in `requested`.
            const std::string asked = component.name + " " + component.version;
            json images = json::array();
            for (const auto& other : m_index.components) {
                if (other.kind != "images") continue;
                const bool named = std::ranges::any_of(other.requested, [&](const std::string& line) {
                    return line.starts_with("helm[") && line.find("] " + asked) != std::string::npos;
                });
                if (named) images.push_back(other.name);
            }
            out["images"] = images;
        }
    }

    json tree_node(const bundle::Component& component, const std::string& requirement,
                   const std::map<std::string, const bundle::Component*>& by_name, std::set<std::string>& expanded,
                   int depth) const
    {
        json node{{"name", component.name}, {"version", component.version}, {"requirement", requirement}};
        if (!expanded.insert(component.name).second || depth >= k_max_tree_depth) {
            node["repeated"] = true;
            node["children"] = json::array();
            return node;
        }
        json children = json::array();
        for (const auto& dependency : component.dependencies) {
            const auto it = by_name.find(dependency.name);
            if (it == by_name.end()) continue;
            children.push_back(tree_node(*it->second, dependency.requirement, by_name, expanded, depth + 1));
        }
        node["repeated"] = false;
        node["children"] = std::move(children);
        return node;
    }

    const bundle::Index& m_index;
    EntriesByPath m_entries;
    FileLists m_lists;
};

json versions_json(const std::vector<ops::ComponentVersion>& list)
{
    json out = json::array();
    for (const auto& item : list) out.push_back({{"name", item.name}, {"version", item.version}});
    return out;
}

json entries_json(const std::vector<bundle::Entry>& list)
{
    json out = json::array();
    for (const auto& entry : list) out.push_back(entry.path);
    return out;
}

json changes_json(const ops::IndexDocument& base, const ops::IndexDiff& diff)
{
    json kinds = json::object();
    for (const auto& [kind, kind_diff] : diff.kinds) {
        json changed = json::array();
        for (const auto& change : kind_diff.changed)
            changed.push_back({{"name", change.name},
                               {"old_version", change.old_version},
                               {"new_version", change.new_version},
                               {"reason", ops::to_string(change.reason)}});
        kinds[kind] = {{"added", versions_json(kind_diff.added)},
                       {"removed", versions_json(kind_diff.removed)},
                       {"changed", changed}};
    }
    json folders = json::object();
    for (const auto& [folder, folder_diff] : diff.folders) {
        json changed = json::array();
        for (const auto& change : folder_diff.changed) changed.push_back(change.new_entry.path);
        folders[folder] = {{"added", entries_json(folder_diff.added)},
                           {"removed", entries_json(folder_diff.removed)},
                           {"changed", changed}};
    }
    return {{"base",
             {{"name", base.index.name}, {"serial", base.index.serial}, {"index_sha256", base.index_sha256}}},
            {"kinds", kinds},
            {"folders", folders},
            {"old_bytes", diff.old_bytes},
            {"new_bytes", diff.new_bytes}};
}

}  // namespace

json report_model(const ReportInput& input, FileLists lists)
{
    const auto& index = input.document->index;
    const ModelBuilder builder(index, lists);
    json model{{"bundle", bundle_json(*input.document)},
               {"signatures", signatures_json(input)},
               {"totals", builder.totals()},
               {"kinds", builder.kinds()}};
    if (lists == FileLists::listed) model["files"] = builder.loose_files();
    model["trees"] = builder.trees();
    model["sizes"] = builder.largest();
    if (input.base) model["changes"] = changes_json(*input.base, ops::diff_indexes(input.base->index, index));
    return model;
}

}  // namespace gapbundle::report
