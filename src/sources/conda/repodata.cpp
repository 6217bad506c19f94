#include <gapbundle/sources/conda/repodata.hpp>

#include "conda_text.hpp"
#include "repodata_reader.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using namespace conda_text;

constexpr std::uint64_t k_last_second_timestamp = 253402300799;  // 9999-12-31 in seconds

// "feature1 feature2" or "a,b".
std::vector<std::string> split_features(std::string text)
{
    std::vector<std::string> out;
    std::ranges::replace(text, ',', ' ');
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find(' ', pos), text.size());
        if (end > pos) out.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

std::optional<std::string> bad_filename(std::string_view filename, std::string_view extension)
{
    if (!filename.ends_with(extension) || filename.size() == extension.size())
        return "not a " + std::string(extension) + " file name";
    if (filename.front() == '.' || std::ranges::any_of(filename, [](char c) {
            return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        }))
        return std::string("not a plain file name");
    return std::nullopt;
}

Result<RepodataRecord> record_of(RawRecord&& raw, std::string_view channel, const std::string& info_subdir)
{
    if (!raw.error.empty()) return fail(ErrorCode::download, raw.error);
    if (raw.name.empty()) return fail(ErrorCode::download, "no name");
    if (!raw.has_build) return fail(ErrorCode::download, "no build");
    auto version = VersionOrder::parse(raw.version);
    if (!version) return std::unexpected(version.error());
    RepodataRecord record{.name = lower(raw.name), .version = std::move(*version), .build = std::move(raw.build)};
    record.build_number = raw.build_number;
    record.depends = std::move(raw.depends);
    record.constrains = std::move(raw.constrains);
    record.track_features = split_features(std::move(raw.track_features));
    record.timestamp = raw.timestamp <= k_last_second_timestamp ? raw.timestamp * 1000 : raw.timestamp;
    record.sha256 = lower(raw.sha256);
    record.md5 = lower(raw.md5);
    record.size = raw.size;
    record.subdir = raw.subdir.empty() ? info_subdir : std::move(raw.subdir);
    record.filename = std::move(raw.filename);
    record.channel = std::string(channel);
    record.noarch = std::move(raw.noarch);
    return record;
}

}  // namespace

Result<Repodata> parse_repodata(std::string_view text, std::string_view channel)
{
    auto raw = read_repodata(text, channel);
    if (!raw) return std::unexpected(raw.error());
    Repodata repodata;
    repodata.subdir = std::move(raw->subdir);
    repodata.base_url = std::move(raw->base_url);
    const std::set<std::string, std::less<>> removed(raw->removed.begin(), raw->removed.end());

    std::vector<RepodataRecord> kept;
    kept.reserve(raw->conda_packages.size() + raw->tar_packages.size());
    std::unordered_set<std::string> keys;                               // name, version and build of each kept record
    for (auto* section : {&raw->conda_packages, &raw->tar_packages}) {  // .conda first: it wins
        const std::string_view extension = section == &raw->conda_packages ? ".conda" : ".tar.bz2";
        for (auto& entry : *section) {
            if (removed.contains(entry.filename)) continue;
            auto filename = entry.filename;
            // The name becomes a file of the carried channel: a package file's, nothing else.
            if (const auto why = bad_filename(filename, extension)) {
                repodata.skipped.push_back(filename + ": " + *why);
                continue;
            }
            auto record = record_of(std::move(entry), channel, repodata.subdir);
            if (!record) {
                repodata.skipped.push_back(filename + ": " + record.error().message);
                continue;
            }
            if (keys.insert(record->name + '\n' + record->version.text() + '\n' + record->build).second) {
                kept.push_back(std::move(*record));
            }
        }
    }
    // Sorted through indexes, so each record moves once more.
    std::vector<std::size_t> order(kept.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::ranges::sort(order, [&](std::size_t a, std::size_t b) { return kept[a].filename < kept[b].filename; });
    repodata.records.reserve(kept.size());
    for (auto i : order) repodata.records.push_back(std::move(kept[i]));
    std::ranges::sort(repodata.skipped);
    return repodata;
}

}  // namespace gapbundle::sources::conda
