#include "pack_base.hpp"

#include <gapbundle/ops/index_document.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <string_view>

namespace gapbundle::ops {

namespace {

// The 32 bytes, half the hex text's size: the list is held through all of planning. An index's
// sha256 is 64 hex digits (its parser checks), so from_hex cannot fail on one.
PackBase::Digest digest_of(std::string_view sha256)
{
    PackBase::Digest digest{};
    text::from_hex(sha256, digest);
    return digest;
}

PackBase slim(IndexDocument document)
{
    const bundle::Index& index = document.index;
    PackBase base{bundle::channel_of(index), index.serial, std::move(document.index_sha256), {}, {}};
    // Sized at once, so that neither list grows through copies among the index's strings.
    std::size_t files = 0;
    std::size_t bytes = 0;
    for (const auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::file) continue;
        ++files;
        bytes += entry.path.size();
    }
    base.files.reserve(files);
    base.paths.reserve(files, bytes);
    for (const auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::file) continue;
        base.files.push_back({digest_of(entry.sha256), static_cast<std::uint32_t>(base.paths.size())});
        base.paths.push_back(entry.path);
    }
    // Stable: of the paths with one digest, the first in the index's (path) order stays.
    std::ranges::stable_sort(base.files, {}, &PackBase::File::sha256);
    const auto repeated = std::ranges::unique(base.files, {}, &PackBase::File::sha256);
    base.files.erase(repeated.begin(), repeated.end());
    return base;
}

}  // namespace

Result<PackBase> load_pack_base(const std::filesystem::path& path)
{
    auto document = read_index_document(path);
    if (!document) {
        // A base that is not a bundle or an index is the command line's fault.
        Error error = document.error().context("--base " + path.string());
        if (error.code == ErrorCode::verification) error.code = ErrorCode::usage;
        return std::unexpected(std::move(error));
    }
    return slim(std::move(*document));
}

Status apply_pack_base(bundle::Index& index, const PackBase& base, const std::filesystem::path& shown)
{
    const auto& channel = bundle::channel_of(index);
    if (base.channel != channel)
        return fail(ErrorCode::usage, "--base " + shown.string() + ": on channel '" + base.channel +
                                          "', not this bundle's '" + channel + "'");
    if (base.serial >= index.serial)
        return fail(ErrorCode::usage, "--base " + shown.string() + ": serial " + std::to_string(base.serial) +
                                          " is not older than this bundle's " + std::to_string(index.serial));
    for (auto& entry : index.entries) {
        if (entry.type != bundle::EntryType::file) continue;
        const auto digest = digest_of(entry.sha256);
        const auto found = std::ranges::lower_bound(base.files, digest, {}, &PackBase::File::sha256);
        if (found != base.files.end() && found->sha256 == digest) entry.set_path_in_base(base.paths[found->path]);
    }
    index.base = bundle::BaseRef{channel, base.serial, base.index_sha256};
    index.format = bundle::k_delta_format_version;
    return {};
}

}  // namespace gapbundle::ops
