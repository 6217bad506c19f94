#include "pack_base.hpp"

#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>

#include <fstream>
#include <string_view>
#include <unordered_map>

namespace gapbundle::ops {

namespace {

// An index.json starts with '{'; a tar with a file name, a zstd frame with its magic number.
bool looks_like_json(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return in.get() == '{';
}

}  // namespace

Result<PackBase> load_pack_base(const std::filesystem::path& path)
{
    const std::string shown = "--base " + path.string();
    if (looks_like_json(path)) {
        auto bytes = fs::read_small_file(path, bundle::k_max_index_bytes);
        if (!bytes) return std::unexpected(bytes.error().context(shown));
        auto index = bundle::parse_index(*bytes, path.string());
        if (!index) return std::unexpected(Error{ErrorCode::usage, index.error().context(shown).message});
        return PackBase{std::move(*index), crypto::sha256_hex(*bytes)};
    }
    auto head = bundle::read_head(path);
    if (!head) {
        Error error = head.error().context(shown);
        if (error.code == ErrorCode::verification) error.code = ErrorCode::usage;
        return std::unexpected(std::move(error));
    }
    return PackBase{std::move(head->index), crypto::sha256_hex(head->index_bytes)};
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
