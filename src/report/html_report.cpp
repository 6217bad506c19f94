#include <gapbundle/report/html_report.hpp>

#include "index_lookup.hpp"
#include "page_buffer.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <array>

namespace gapbundle::report {

namespace {

using json = nlohmann::ordered_json;
using text::html_escape;

constexpr std::string_view k_style = R"(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #1d232a; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; }
code { font-size: 12px; word-break: break-all; } .muted { color: #57606a; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #cf222e; font-weight: 600; } .unknown { color: #9a6700; }
details summary { cursor: pointer; color: #0969da; } ul.tree { list-style: none; padding-left: 1.2rem; margin: 0; }
ul.tree li::before { content: "└ "; color: #8c959f; } svg text { font: 12px system-ui, sans-serif; }
)";

constexpr std::array<std::string_view, 8> k_colours{"#0969da", "#1a7f37", "#bf3989", "#9a6700",
                                                    "#8250df", "#cf222e", "#1b7c83", "#57606a"};

std::string str(const json& value)
{
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "";
    return value.dump();
}

std::string e(const json& value)
{
    return html_escape(str(value));
}

std::string bytes(const json& value)
{
    return value.is_number_unsigned() ? text::human_bytes(value.get<std::uint64_t>()) : "";
}

std::string kind_title(const std::string& kind)
{
    if (kind == "pip") return "Python packages (pip)";
    if (kind == "conda") return "conda packages";
    if (kind == "images") return "Container images";
    if (kind == "huggingface") return "Hugging Face repositories";
    if (kind == "helm") return "Helm charts";
    if (kind == "files") return "Files";
    return kind;
}

// The files of a component, from the index: those of its paths the index lists.
void files_cell(PageBuffer& out, const bundle::Component& component, const EntriesByPath& entries)
{
    std::size_t count = 0;
    for (const auto& path : component.paths) count += entries.find(path) ? 1 : 0;
    if (count == 0) {
        out += "<td></td>";
        return;
    }
    out += "<td><details><summary>" + std::to_string(count) + " file(s)</summary><ul>";
    for (const auto& path : component.paths) {
        const auto* entry = entries.find(path);
        if (!entry) continue;
        out += "<li>" + html_escape(path) + " <span class=\"muted\">" + text::human_bytes(entry->size) +
               "</span><br><code>sha256:" + html_escape(entry->sha256) + "</code></li>";
    }
    out += "</ul></details></td>";
}

std::string list_cell(const json& items)
{
    std::string out = "<td>";
    for (const auto& item : items) out += "<div>" + e(item) + "</div>";
    return out + "</td>";
}

// The columns a kind adds between version and size.
std::vector<std::pair<std::string, std::string>> extra_columns(const std::string& kind)
{
    if (kind == "pip") return {{"tags", "wheel tags"}};
    if (kind == "conda") return {{"build", "build"}, {"channel", "channel"}, {"subdir", "subdir"}};
    if (kind == "images") return {{"platforms", "platforms"}};
    if (kind == "helm") return {{"images", "images"}};
    return {};
}

// `held` is the index's components of this kind, in the model's order (the index's).
void component_table(PageBuffer& page, const std::string& kind, const json& components,
                     const std::vector<const bundle::Component*>& held, const EntriesByPath& entries)
{
    const std::string version_title = kind == "images"        ? "digest"
                                      : kind == "huggingface" ? "commit"
                                      : kind == "files"       ? "content"
                                                              : "version";
    const auto extras = extra_columns(kind);
    std::string out = "<table class=\"components\" data-kind=\"" + html_escape(kind) + "\"><tr><th>name</th><th>" +
                      version_title + "</th>";
    for (const auto& [key, title] : extras) out += "<th>" + title + "</th>";
    out += "<th>requested by</th><th class=\"num\">size</th><th>files and hashes</th></tr>\n";
    page += out;
    for (std::size_t i = 0; i < components.size(); ++i) {
        const json& component = components[i];
        out = "<tr class=\"component\" data-kind=\"" + html_escape(kind) + "\" data-name=\"" + e(component["name"]) +
               "\" data-version=\"" + e(component["version"]) + "\"><td>" + e(component["name"]) + "</td><td><code>" +
               e(component["version"]) + "</code></td>";
        for (const auto& [key, title] : extras) {
            const json& value = component.contains(key) ? component[key] : json(nullptr);
            if (key == "platforms" && value.is_array() && value.empty())
                out += "<td class=\"muted\">one manifest</td>";  // its platform is in its config, not the index
            else
                out += value.is_array() ? list_cell(value) : "<td>" + e(value) + "</td>";
        }
        out += list_cell(component["requested"]);
        out += "<td class=\"num\">" + bytes(component["bytes"]) + "</td>";
        page += out;
        if (i < held.size())
            files_cell(page, *held[i], entries);
        else
            page += "<td></td>";
        page += "</tr>\n";
    }
    page += "</table>\n";
}

std::string tree_list(const json& nodes)
{
    std::string out = "<ul class=\"tree\">";
    for (const auto& node : nodes) {
        out += "<li>" + e(node["name"]) + " <code>" + e(node["version"]) + "</code>";
        if (!str(node["requirement"]).empty()) out += " <span class=\"muted\">(" + e(node["requirement"]) + ")</span>";
        if (node["repeated"].get<bool>()) out += " <span class=\"muted\">(shown above)</span>";
        if (!node["children"].empty()) out += tree_list(node["children"]);
        out += "</li>";
    }
    return out + "</ul>";
}

// Horizontal bars, one per item, scaled to the largest.
std::string bars(const std::vector<std::pair<std::string, std::uint64_t>>& items, const std::string& label)
{
    if (items.empty()) return {};
    const std::uint64_t largest = std::max<std::uint64_t>(1, std::ranges::max(items, {}, &std::pair<std::string, std::uint64_t>::second).second);
    constexpr int row = 22;
    constexpr int text_width = 300;
    constexpr int bar_width = 500;
    const int height = static_cast<int>(items.size()) * row + 4;
    std::string out = "<svg role=\"img\" aria-label=\"" + html_escape(label) + "\" width=\"" +
                      std::to_string(text_width + bar_width + 120) + "\" height=\"" + std::to_string(height) +
                      "\">";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const int y = static_cast<int>(i) * row + 2;
        const auto width = static_cast<int>(static_cast<double>(items[i].second) / static_cast<double>(largest) * bar_width);
        const std::string colour(k_colours[i % k_colours.size()]);
        out += "<text x=\"0\" y=\"" + std::to_string(y + 15) + "\">" + html_escape(items[i].first) + "</text>";
        out += "<rect x=\"" + std::to_string(text_width) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
               std::to_string(std::max(width, 1)) + "\" height=\"16\" fill=\"" + colour + "\"/>";
        out += "<text x=\"" + std::to_string(text_width + std::max(width, 1) + 6) + "\" y=\"" + std::to_string(y + 15) +
               "\">" + text::human_bytes(items[i].second) + "</text>";
    }
    return out + "</svg>";
}

std::string summary_section(const json& model)
{
    const json& b = model["bundle"];
    std::string out = "<section id=\"summary\"><table>";
    const auto row = [&](const std::string& key, const std::string& value) {
        out += "<tr><th>" + key + "</th><td>" + value + "</td></tr>";
    };
    row("channel", e(b["channel"]));
    row("serial", e(b["serial"]));
    row("created", e(b["created"]));
    row("expires", b["expires"].is_null() ? "never" : e(b["expires"]));
    row("producer", e(b["producer"]));
    row("index.json sha256", "<code>" + e(b["index_sha256"]) + "</code>");
    row("manifest sha256", "<code>" + e(b["manifest_sha256"]) + "</code>");
    row("lock sha256", "<code>" + e(b["lock_sha256"]) + "</code>");
    if (b.contains("base"))
        row("delta of", e(b["base"]["channel"]) + " serial " + e(b["base"]["serial"]) + " <code>" +
                            e(b["base"]["index_sha256"]) + "</code>");
    const json& totals = model["totals"];
    row("payload", std::to_string(totals["files"].get<std::uint64_t>()) + " file(s), " + bytes(totals["bytes"]));
    return out + "</table></section>\n";
}

std::string signatures_section(const json& model)
{
    std::string out = "<section id=\"signatures\"><h2>Signatures</h2>";
    if (model["signatures"].empty())
        return out + "<p class=\"unknown\">No signatures: this report was made from an index file.</p></section>\n";
    out += "<table><tr><th>key id</th><th>algorithm</th><th>this host</th></tr>";
    for (const auto& signature : model["signatures"]) {
        const json& trusted = signature["trusted"];
        const std::string verdict = trusted.is_null() ? "<span class=\"unknown\">not checked (no trusted keys given)</span>"
                                    : trusted.get<bool>() ? "<span class=\"ok\">trusted, signature valid</span>"
                                                          : "<span class=\"bad\">not trusted or not valid</span>";
        out += "<tr class=\"signature\"><td><code>" + e(signature["keyid"]) + "</code></td><td>" + e(signature["alg"]) +
               "</td><td>" + verdict + "</td></tr>";
    }
    return out + "</table></section>\n";
}

std::string totals_section(const json& model)
{
    std::string out = "<section id=\"totals\"><h2>Where the bytes are</h2><table><tr><th>folder</th><th>kind</th>"
                      "<th class=\"num\">components</th><th class=\"num\">files</th><th class=\"num\">size</th></tr>";
    std::vector<std::pair<std::string, std::uint64_t>> areas;
    for (const auto& area : model["totals"]["areas"]) {
        const std::string kind = str(area["kind"]);
        const std::size_t components = model["kinds"].contains(kind) ? model["kinds"][kind].size() : 0;
        out += "<tr class=\"area\"><td>" + e(area["area"]) + "/</td><td>" + html_escape(kind) + "</td><td class=\"num\">" +
               std::to_string(components) + "</td><td class=\"num\">" + e(area["files"]) + "</td><td class=\"num\">" +
               bytes(area["bytes"]) + "</td></tr>";
        areas.emplace_back(str(area["area"]) + "/", area["bytes"].get<std::uint64_t>());
    }
    out += "</table>" + bars(areas, "bytes by folder");
    std::vector<std::pair<std::string, std::uint64_t>> largest;
    for (const auto& item : model["sizes"])
        largest.emplace_back(str(item["kind"]) + ": " + str(item["name"]), item["bytes"].get<std::uint64_t>());
    if (!largest.empty()) out += "<h3>Largest components</h3>" + bars(largest, "largest components");
    return out + "</section>\n";
}

void files_section(PageBuffer& page, const bundle::Index& index)
{
    bool any = false;
    for_each_loose_file(index, [&](const bundle::Entry& file) {
        if (!any)
            page += "<section id=\"loose-files\"><h2>Other files under files/</h2><table class=\"loose\"><tr>"
                    "<th>path</th><th class=\"num\">size</th><th>sha256</th></tr>";
        any = true;
        const std::string path = html_escape(file.path);
        std::string out = "<tr class=\"loose-file\" data-name=\"" + path + "\"><td>" + path + "</td>";
        if (file.type == bundle::EntryType::symlink)
            out += "<td class=\"num\">link</td><td>→ " + html_escape(file.link_target) + "</td></tr>";
        else
            out += "<td class=\"num\">" + text::human_bytes(file.size) + "</td><td><details><summary>sha256</summary><code>" +
                   html_escape(file.sha256) + "</code></details></td></tr>";
        page += out;
    });
    if (any) page += "</table></section>\n";
}

void changes_section(PageBuffer& page, const json& changes)
{
    std::string out = "<section id=\"changes\"><h2>Changes since " + e(changes["base"]["name"]) + " serial " +
                      e(changes["base"]["serial"]) + "</h2><p>payload " + bytes(changes["old_bytes"]) + " → " +
                      bytes(changes["new_bytes"]) + "</p><table><tr><th>kind</th><th>change</th><th>name</th><th>from</th><th>to</th></tr>";
    for (const auto& [kind, diff] : changes["kinds"].items()) {
        for (const auto& item : diff["added"])
            out += "<tr class=\"change added\"><td>" + html_escape(kind) + "</td><td>added</td><td>" + e(item["name"]) +
                   "</td><td></td><td>" + e(item["version"]) + "</td></tr>";
        for (const auto& item : diff["removed"])
            out += "<tr class=\"change removed\"><td>" + html_escape(kind) + "</td><td>removed</td><td>" + e(item["name"]) +
                   "</td><td>" + e(item["version"]) + "</td><td></td></tr>";
        for (const auto& item : diff["changed"])
            out += "<tr class=\"change changed\"><td>" + html_escape(kind) + "</td><td>changed (" + e(item["reason"]) +
                   ")</td><td>" + e(item["name"]) + "</td><td>" + e(item["old_version"]) + "</td><td>" +
                   e(item["new_version"]) + "</td></tr>";
    }
    page += out;
    for (const auto& [folder, diff] : changes["folders"].items())
        for (const char* what : {"added", "removed", "changed"})
            for (const auto& path : diff[what])
                page += "<tr class=\"change " + std::string(what) + "\"><td>" + html_escape(folder) + "/</td><td>" + what +
                        "</td><td>" + e(path) + "</td><td></td><td></td></tr>";
    page += "</table></section>\n";
}

}  // namespace

Status write_html(const json& model, const bundle::Index& index, const std::function<Status(std::string_view)>& sink)
{
    PageBuffer page(sink);
    const json& b = model["bundle"];
    page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            "<title>gapbundle report: " + e(b["name"]) + " " + e(b["serial"]) + "</title><style>" +
            std::string(k_style) + "</style></head><body>\n";
    page += "<header><h1>" + e(b["name"]) + "</h1><p class=\"muted\">Made from the bundle's " +
            (str(b["source"]) == "bundle" ? std::string("signed index") : std::string("index file")) +
            " by gapbundle report. Nothing here says the payload matches it: <code>gapbundle verify</code> does.</p></header>\n";
    page += summary_section(model);
    page += signatures_section(model);
    page += totals_section(model);
    const EntriesByPath entries(index.entries);
    auto by_kind = components_by_kind(index);
    for (const auto& [kind, components] : model["kinds"].items()) {
        page += "<section id=\"kind-" + html_escape(kind) + "\"><h2>" + html_escape(kind_title(kind)) +
                " <span class=\"muted\">(" + std::to_string(components.size()) + ")</span></h2>";
        component_table(page, kind, components, by_kind[kind], entries);
        page += "</section>\n";
    }
    files_section(page, index);
    if (!model["trees"].empty()) {
        page += "<section id=\"trees\"><h2>Who required what</h2>";
        for (const auto& [kind, roots] : model["trees"].items())
            page += "<details open><summary>" + html_escape(kind_title(kind)) + "</summary>" + tree_list(roots) + "</details>";
        page += "</section>\n";
    }
    if (model.contains("changes")) changes_section(page, model["changes"]);
    page += "</body></html>\n";
    return page.finish();
}

std::string render_html(const json& model, const bundle::Index& index)
{
    std::string html;
    const std::function<Status(std::string_view)> collect = [&](std::string_view piece) -> Status {
        html += piece;
        return {};
    };
    (void)write_html(model, index, collect);  // collecting cannot fail
    return html;
}

}  // namespace gapbundle::report
