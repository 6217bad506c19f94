#include <gapbundle/sources/conda/local_channel.hpp>

#include <nlohmann/json.hpp>

namespace gapbundle::sources::conda {

namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
    return out;
}

json record_json(const RepodataRecord& record)
{
    json out{{"name", record.name},
             {"version", record.version.text()},
             {"build", record.build},
             {"build_number", record.build_number},
             {"depends", record.depends},
             {"size", record.size},
             {"subdir", record.subdir}};
    if (!record.constrains.empty()) out["constrains"] = record.constrains;
    if (!record.track_features.empty()) out["track_features"] = joined(record.track_features);
    if (record.timestamp != 0) out["timestamp"] = record.timestamp;
    if (!record.sha256.empty()) out["sha256"] = record.sha256;
    if (!record.md5.empty()) out["md5"] = record.md5;
    if (!record.noarch.empty()) out["noarch"] = record.noarch;
    return out;
}

}  // namespace

std::string local_repodata_json(std::string_view subdir, std::span<const RepodataRecord> records)
{
    // nlohmann's object is a std::map: keys come out sorted, whatever the order of the records.
    json doc{{"info", {{"subdir", std::string(subdir)}}},
             {"packages", json::object()},
             {"packages.conda", json::object()},
             {"removed", json::array()},
             {"repodata_version", 1}};
    for (const auto& record : records) {
        const char* section = record.filename.ends_with(".conda") ? "packages.conda" : "packages";
        doc[section][record.filename] = record_json(record);
    }
    return doc.dump(-1, ' ', false, json::error_handler_t::strict);
}

}  // namespace gapbundle::sources::conda
