#include "commands.hpp"
#include "output.hpp"

#include <gapbundle/ops/bundle_diff.hpp>
#include <gapbundle/ops/index_document.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

struct Side {
    std::string path;  // as given
    ops::IndexDocument document;
};

// The document at `path`; the error names the file.
Result<Side> read_side(const std::string& path)
{
    auto document = ops::read_index_document(path);
    if (!document) {
        if (document.error().message.find(path) == std::string::npos)
            return std::unexpected(document.error().context(path));
        return std::unexpected(document.error());
    }
    return Side{path, std::move(*document)};
}

nlohmann::json side_json(const Side& side)
{
    const auto& index = side.document.index;
    return {{"path", side.path},
            {"source", side.document.source == ops::IndexSource::bundle ? "bundle" : "index"},
            {"name", index.name},
            {"channel", bundle::channel_of(index)},
            {"serial", index.serial},
            {"created", index.created},
            {"index_sha256", side.document.index_sha256}};
}

// What an entry is, without its path: {"type", "sha256", "size", "mode"} or {"type", "link"}.
nlohmann::json entry_state_json(const bundle::Entry& entry)
{
    nlohmann::json state{{"type", to_string(entry.type)}};
    if (entry.type == bundle::EntryType::symlink) {
        state["link"] = entry.link_target;
    } else {
        state["sha256"] = entry.sha256;
        state["size"] = entry.size;
        state["mode"] = entry.mode;
    }
    return state;
}

nlohmann::json entries_json(const std::vector<bundle::Entry>& entries)
{
    auto list = nlohmann::json::array();
    for (const auto& entry : entries) {
        auto item = entry_state_json(entry);
        item["path"] = entry.path;
        list.push_back(std::move(item));
    }
    return list;
}

nlohmann::json components_json(const std::vector<ops::ComponentVersion>& components)
{
    auto list = nlohmann::json::array();
    for (const auto& c : components) list.push_back({{"name", c.name}, {"version", c.version}});
    return list;
}

nlohmann::json diff_json(const Side& old_side, const Side& new_side, const ops::IndexDiff& diff)
{
    nlohmann::json kinds = nlohmann::json::object();
    for (const auto& [kind, kind_diff] : diff.kinds) {
        auto changed = nlohmann::json::array();
        for (const auto& c : kind_diff.changed)
            changed.push_back({{"name", c.name},
                               {"old_version", c.old_version},
                               {"new_version", c.new_version},
                               {"reason", to_string(c.reason)}});
        kinds[kind] = {{"added", components_json(kind_diff.added)},
                       {"removed", components_json(kind_diff.removed)},
                       {"changed", changed}};
    }
    nlohmann::json folders = nlohmann::json::object();
    for (const auto& [folder, folder_diff] : diff.folders) {
        auto changed = nlohmann::json::array();
        for (const auto& c : folder_diff.changed)
            changed.push_back({{"path", c.new_entry.path},
                               {"old", entry_state_json(c.old_entry)},
                               {"new", entry_state_json(c.new_entry)}});
        folders[folder] = {{"added", entries_json(folder_diff.added)},
                           {"removed", entries_json(folder_diff.removed)},
                           {"changed", changed}};
    }
    return {
        {"command", "diff"},
        {"result", "ok"},
        {"verified", false},
        {"old", side_json(old_side)},
        {"new", side_json(new_side)},
        {"kinds", kinds},
        {"entries", folders},
        {"summary",
         {{"added", diff.added()},
          {"removed", diff.removed()},
          {"changed", diff.changed()},
          {"old_bytes", diff.old_bytes},
          {"new_bytes", diff.new_bytes},
          {"bytes_change", static_cast<std::int64_t>(diff.new_bytes) - static_cast<std::int64_t>(diff.old_bytes)}}}};
}

void print_side(const char* label, const Side& side)
{
    const auto& index = side.document.index;
    std::printf("%s %s: name %s, channel %s, serial %llu, created %s\n", label, side.path.c_str(), index.name.c_str(),
                bundle::channel_of(index).c_str(), static_cast<unsigned long long>(index.serial),
                index.created.c_str());
}

std::string size_change(std::uint64_t old_bytes, std::uint64_t new_bytes)
{
    return new_bytes >= old_bytes ? "+" + text::human_bytes(new_bytes - old_bytes)
                                  : "-" + text::human_bytes(old_bytes - new_bytes);
}

void print_kind(const std::string& kind, const ops::KindDiff& diff)
{
    std::printf("%s (components):\n", kind.c_str());
    for (const auto& c : diff.added) std::printf("  + %s %s\n", c.name.c_str(), c.version.c_str());
    for (const auto& c : diff.removed) std::printf("  - %s %s\n", c.name.c_str(), c.version.c_str());
    for (const auto& c : diff.changed) {
        switch (c.reason) {
            case ops::ComponentChangeReason::version:
                std::printf("  ~ %s %s → %s\n", c.name.c_str(), c.old_version.c_str(), c.new_version.c_str());
                break;
            case ops::ComponentChangeReason::versions:
                std::printf("  ~ %s versions %s → %s\n", c.name.c_str(), c.old_version.c_str(), c.new_version.c_str());
                break;
            case ops::ComponentChangeReason::contents:
                std::printf("  ~ %s %s (rebuilt: contents differ)\n", c.name.c_str(), c.new_version.c_str());
                break;
        }
    }
}

// "sha256 prefix" for a file (and its mode when `with_mode`), "-> target" for a symlink.
std::string entry_brief(const bundle::Entry& entry, bool with_mode)
{
    if (entry.type == bundle::EntryType::symlink) return "-> " + entry.link_target;
    std::string brief = entry.sha256.substr(0, 12);
    if (with_mode) {
        char mode[16];
        std::snprintf(mode, sizeof mode, " mode %04o", entry.mode);
        brief += mode;
    }
    return brief;
}

std::string entry_line(const bundle::Entry& entry)
{
    if (entry.type == bundle::EntryType::symlink) return entry.path + " -> " + entry.link_target;
    return entry.path + " " + entry.sha256.substr(0, 12) + " (" + text::human_bytes(entry.size) + ")";
}

void print_folder(const std::string& folder, const ops::FolderDiff& diff)
{
    std::printf("%s (entries):\n", folder.c_str());
    for (const auto& entry : diff.added) std::printf("  + %s\n", entry_line(entry).c_str());
    for (const auto& entry : diff.removed) std::printf("  - %s\n", entry_line(entry).c_str());
    for (const auto& c : diff.changed) {
        const bool with_mode = c.old_entry.mode != c.new_entry.mode;
        std::printf("  ~ %s %s → %s\n", c.new_entry.path.c_str(), entry_brief(c.old_entry, with_mode).c_str(),
                    entry_brief(c.new_entry, with_mode).c_str());
    }
}

void print_diff(const Side& old_side, const Side& new_side, const ops::IndexDiff& diff)
{
    std::printf("UNVERIFIED: nothing below has been checked; run gapbundle verify to trust it\n");
    print_side("old", old_side);
    print_side("new", new_side);
    std::printf("%zu added, %zu removed, %zu changed; payload %s → %s (%s)\n", diff.added(), diff.removed(),
                diff.changed(), text::human_bytes(diff.old_bytes).c_str(), text::human_bytes(diff.new_bytes).c_str(),
                size_change(diff.old_bytes, diff.new_bytes).c_str());
    if (diff.empty()) std::printf("no differences\n");
    for (const auto& [kind, kind_diff] : diff.kinds) print_kind(kind, kind_diff);
    for (const auto& [folder, folder_diff] : diff.folders) print_folder(folder, folder_diff);
}

}  // namespace

CommandRunner add_diff(CLI::App& app, const GlobalOptions& global)
{
    auto* command =
        app.add_subcommand("diff", "Show what was added, removed and changed between two bundles (unverified)");
    auto paths = std::make_shared<std::pair<std::string, std::string>>();
    command->add_option("old", paths->first, "Older bundle, or its index.json (gapbundle inspect --index)")->required();
    command->add_option("new", paths->second, "Newer bundle, or its index.json")->required();
    return [&global, paths] {
        auto old_side = read_side(paths->first);
        if (!old_side) return report_error(global, "diff", old_side.error());
        auto new_side = read_side(paths->second);
        if (!new_side) return report_error(global, "diff", new_side.error());
        const auto diff = ops::diff_indexes(old_side->document.index, new_side->document.index);
        if (global.json)
            print_json(diff_json(*old_side, *new_side, diff));
        else
            print_diff(*old_side, *new_side, diff);
        return std::fflush(stdout) == 0 ? 0 : 4;
    };
}

}  // namespace gapbundle::cli
