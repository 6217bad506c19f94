#include "pack_base.hpp"

#include <gapbundle/ops/index_document.hpp>

#include <string_view>
#include <unordered_map>

namespace gapbundle::ops {

Result<PackBase> load_pack_base(const std::filesystem::path& path)
{
    auto document = read_index_document(path);
    if (!document) {
        // A base that is not a bundle or an index is the command line's fault.
        Error error = document.error().context("--base " + path.string());
        if (error.code == ErrorCode::verification) error.code = ErrorCode::usage;
        return std::unexpected(std::move(error));
    }
    return PackBase{std::move(document->index), std::move(document->index_sha256)};
}

Status apply_pack_base(bundle::Index& index, const PackBase& base, const std::filesystem::path& shown)
{
    const auto& channel = bundle::channel_of(index);
    if (bundle::channel_of(base.index) != channel)
        return fail(ErrorCode::usage, "--base " + shown.string() + ": on channel '" + bundle::channel_of(base.index) +
                                          "', not this bundle's '" + channel + "'");
    if (base.index.serial >= index.serial)
        return fail(ErrorCode::usage, "--base " + shown.string() + ": serial " + std::to_string(base.index.serial) +
                                          " is not older than this bundle's " + std::to_string(index.serial));
    std::unordered_map<std::string_view, std::string_view> path_of;
    path_of.reserve(base.index.entries.size());
    for (const auto& entry : base.index.entries)
        if (entry.type == bundle::EntryType::file) path_of.try_emplace(entry.sha256, entry.path);
    for (auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::file) continue;
        if (const auto found = path_of.find(entry.sha256); found != path_of.end()) entry.base_path = found->second;
    }
    index.base = bundle::BaseRef{channel, base.index.serial, base.index_sha256};
    index.format = bundle::k_delta_format_version;
    return {};
}

}  // namespace gapbundle::ops
