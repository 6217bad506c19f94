#include <gapbundle/bundle/index.hpp>

#include "components_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace gapbundle::bundle {

namespace {

using nlohmann::json;

json entry_to_json(const Entry& entry)
{
    json out = json::object();
    out["path"] = entry.path;
    out["type"] = std::string(to_string(entry.type));
    switch (entry.type) {
    case EntryType::file:
        out["size"] = entry.size;
        out["sha256"] = entry.sha256;
        out["mode"] = entry.mode;
        break;
    case EntryType::dir:
        out["mode"] = entry.mode;
        break;
    case EntryType::symlink:
        out["link"] = entry.link_target;
        break;
    }
    return out;
}

bool is_reserved(std::string_view path)
{
    return path == "gapbundle" || path.starts_with("gapbundle/");
}

}  // namespace

std::string_view to_string(EntryType type)
{
    switch (type) {
    case EntryType::file: return "file";
    case EntryType::dir: return "dir";
    case EntryType::symlink: return "symlink";
    }
    return "unknown";
}

std::string to_canonical_json(const Index& index)
{
    json out = json::object();
    out["format"] = index.format;
    out["name"] = index.name;
    out["serial"] = index.serial;
    out["created"] = index.created;
    if (index.expires) out["expires"] = *index.expires;
    out["producer"] = index.producer;
    out["manifest_sha256"] = index.manifest_sha256;
    out["lock_sha256"] = index.lock_sha256;
    json entries = json::array();
    for (const auto& entry : index.entries) entries.push_back(entry_to_json(entry));
    out["entries"] = std::move(entries);
    if (!index.components.empty()) out["components"] = detail::components_to_json(index.components);
    // nlohmann's object is a std::map: keys come out sorted bytewise; no whitespace; UTF-8 kept.
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string sha256sums_text(const std::vector<Entry>& payload_entries)
{
    std::string out;
    for (const auto& entry : payload_entries) {
        if (entry.type != EntryType::file || entry.path == k_sums_path) continue;
        out += entry.sha256;
        out += "  ";
        out += entry.path;
        out += '\n';
    }
    return out;
}

std::vector<std::size_t> stream_order(const Index& index)
{
    std::vector<std::size_t> reserved;
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < index.entries.size(); ++i)
        (is_reserved(index.entries[i].path) ? reserved : rest).push_back(i);
    const auto by_path = [&](std::size_t a, std::size_t b) { return index.entries[a].path < index.entries[b].path; };
    std::ranges::stable_sort(reserved, by_path);
    std::ranges::stable_sort(rest, by_path);
    reserved.insert(reserved.end(), rest.begin(), rest.end());
    return reserved;
}

void add_parent_dirs(std::vector<Entry>& entries)
{
    std::set<std::string> present;
    for (const auto& entry : entries) present.insert(entry.path);
    std::set<std::string> missing;
    for (const auto& entry : entries) {
        for (auto slash = entry.path.find('/'); slash != std::string::npos; slash = entry.path.find('/', slash + 1)) {
            std::string parent = entry.path.substr(0, slash);
            if (!present.contains(parent)) missing.insert(std::move(parent));
        }
    }
    for (const auto& folder : missing) {
        Entry dir;
        dir.path = folder;
        dir.type = EntryType::dir;
        dir.mode = 0755;
        entries.push_back(std::move(dir));
    }
    std::ranges::sort(entries, {}, &Entry::path);
}

}  // namespace gapbundle::bundle
