#include <gapbundle/sources/conda/repodata.hpp>

#include "conda_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using json = nlohmann::json;
using namespace conda_text;

constexpr std::uint64_t k_last_second_timestamp = 253402300799;  // 9999-12-31 in seconds

std::string string_field(const json& entry, const char* key)
{
    const auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::uint64_t number_field(const json& entry, const char* key)
{
    const auto it = entry.find(key);
    if (it == entry.end()) return 0;
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(it->get<std::int64_t>());
    if (it->is_number_float() && it->get<double>() >= 0) return static_cast<std::uint64_t>(it->get<double>());
    return 0;
}

Result<std::vector<std::string>> string_list(const json& entry, const char* key)
{
    std::vector<std::string> out;
    const auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) return out;
    if (!it->is_array()) return fail(ErrorCode::download, std::string("'") + key + "' is not a list");
    for (const auto& item : *it) {
        if (!item.is_string()) return fail(ErrorCode::download, std::string("'") + key + "' holds a non-string");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// "feature1 feature2" or "a,b" (or, in some old channels, a list).
std::vector<std::string> track_features_of(const json& entry)
{
    std::vector<std::string> out;
    const auto it = entry.find("track_features");
    if (it == entry.end()) return out;
    std::string text;
    if (it->is_string()) {
        text = it->get<std::string>();
    } else if (it->is_array()) {
        for (const auto& item : *it) {
            if (item.is_string()) text += item.get<std::string>() + " ";
        }
    }
    std::ranges::replace(text, ',', ' ');
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find(' ', pos), text.size());
        if (end > pos) out.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

Result<RepodataRecord> record_of(const std::string& filename, const json& entry, std::string_view channel,
                                 const std::string& info_subdir)
{
    if (!entry.is_object()) return fail(ErrorCode::download, "not an object");
    const auto name = lower(string_field(entry, "name"));
    const auto version_text = string_field(entry, "version");
    if (name.empty()) return fail(ErrorCode::download, "no name");
    if (!entry.contains("build") || !entry["build"].is_string()) return fail(ErrorCode::download, "no build");
    auto version = VersionOrder::parse(version_text);
    if (!version) return std::unexpected(version.error());
    auto depends = string_list(entry, "depends");
    if (!depends) return std::unexpected(depends.error());
    auto constrains = string_list(entry, "constrains");
    if (!constrains) return std::unexpected(constrains.error());
    RepodataRecord record{.name = name, .version = std::move(*version), .build = string_field(entry, "build")};
    record.build_number = number_field(entry, "build_number");
    record.depends = std::move(*depends);
    record.constrains = std::move(*constrains);
    record.track_features = track_features_of(entry);
    record.timestamp = number_field(entry, "timestamp");
    if (record.timestamp <= k_last_second_timestamp) record.timestamp *= 1000;
    record.sha256 = lower(string_field(entry, "sha256"));
    record.md5 = lower(string_field(entry, "md5"));
    record.size = number_field(entry, "size");
    record.subdir = string_field(entry, "subdir");
    if (record.subdir.empty()) record.subdir = info_subdir;
    record.filename = filename;
    record.channel = std::string(channel);
    const auto noarch = entry.find("noarch");
    if (noarch != entry.end() && noarch->is_string()) record.noarch = noarch->get<std::string>();
    return record;
}

}  // namespace

Result<Repodata> parse_repodata(std::string_view text, std::string_view channel)
{
    Repodata repodata;
    const auto doc = json::parse(text, nullptr, false);
    const auto where = [&] {
        return "repodata for " + std::string(channel) + (repodata.subdir.empty() ? "" : "/" + repodata.subdir);
    };
    if (doc.is_discarded() || !doc.is_object()) return fail(ErrorCode::download, where() + ": not a JSON object");
    if (const auto info = doc.find("info"); info != doc.end() && info->is_object()) {
        repodata.subdir = string_field(*info, "subdir");
        repodata.base_url = string_field(*info, "base_url");
    }
    std::set<std::string, std::less<>> removed;
    if (auto list = string_list(doc, "removed"); list) {
        removed.insert(list->begin(), list->end());
    } else {
        return fail(ErrorCode::download, where() + ": " + list.error().message);
    }

    std::unordered_set<std::string> keys;                         // name, version and build of each kept record
    std::size_t conda_count = 0;                                  // records from packages.conda, first in `records`
    for (const char* section : {"packages.conda", "packages"}) {  // .conda first: it wins
        const auto it = doc.find(section);
        if (it == doc.end() || it->is_null()) continue;
        if (!it->is_object()) return fail(ErrorCode::download, where() + ": '" + section + "' is not an object");
        repodata.records.reserve(repodata.records.size() + it->size());
        for (const auto& [filename, entry] : it->items()) {  // in filename order: json objects are std::map
            if (removed.contains(filename)) continue;
            auto record = record_of(filename, entry, channel, repodata.subdir);
            if (!record) {
                repodata.skipped.push_back(filename + ": " + record.error().message);
                continue;
            }
            if (keys.insert(record->name + '\n' + record->version.text() + '\n' + record->build).second) {
                repodata.records.push_back(std::move(*record));
            }
        }
        if (std::string_view(section) == "packages.conda") conda_count = repodata.records.size();
    }
    const auto middle = repodata.records.begin() + static_cast<std::ptrdiff_t>(conda_count);
    std::inplace_merge(repodata.records.begin(), middle, repodata.records.end(),
                       [](const RepodataRecord& a, const RepodataRecord& b) { return a.filename < b.filename; });
    std::ranges::sort(repodata.skipped);
    return repodata;
}

}  // namespace gapbundle::sources::conda
