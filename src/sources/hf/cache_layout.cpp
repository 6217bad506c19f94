#include <gapbundle/sources/hf/cache_layout.hpp>

#include <gapbundle/util/fs.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace gapbundle::sources::hf {

namespace {

bool is_lower_hex(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// os.path.relpath(blobs/<etag>, dirname(snapshots/<commit>/<path>)).
std::string blob_target(std::string_view path, std::string_view etag)
{
    const auto folders = static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
    std::string target;
    for (std::size_t i = 0; i < 2 + folders; ++i) target += "../";
    return target + "blobs/" + std::string(etag);
}

}  // namespace

std::string cache_etag(const RepoFile& file)
{
    return file.lfs_sha256 ? *file.lfs_sha256 : file.git_blob_id;
}

std::vector<CacheFile> cache_files(const std::vector<RepoFile>& files)
{
    std::vector<CacheFile> out;
    out.reserve(files.size());
    for (const auto& file : files)
        out.push_back(CacheFile{.path = file.path, .etag = cache_etag(file), .size = file.size});
    return out;
}

Result<CacheLayout> cache_layout(const RepoId& repo, std::string_view revision, std::string_view commit,
                                 std::span<const CacheFile> files)
{
    const auto bad = [&](const std::string& what) {
        return fail(ErrorCode::download, describe(repo) + ": cache layout: " + what);
    };
    if (auto ok = validate_revision(revision); !ok) return std::unexpected(ok.error());
    if (commit.size() != 40 || !is_lower_hex(commit))
        return bad("commit '" + std::string(commit) + "' is not 40 lowercase hex digits");
    if (is_commit_hash(revision) && revision != commit)
        return bad("revision '" + std::string(revision) + "' is a commit id, yet resolved to " + std::string(commit));

    CacheLayout layout;
    layout.repo_folder = repo_folder_name(repo);
    const std::string snapshot = layout.repo_folder + "/snapshots/" + std::string(commit) + "/";
    std::map<std::string, std::uint64_t, std::less<>> sizes;
    std::set<std::string, std::less<>> paths;
    for (const auto& file : files) {
        if (auto safe = fs::check_relative_path(file.path); !safe) return bad(safe.error().message);
        if (!paths.insert(file.path).second) return bad("'" + file.path + "' is listed twice");
        if ((file.etag.size() != 40 && file.etag.size() != 64) || !is_lower_hex(file.etag))
            return bad("'" + file.path + "': etag '" + file.etag + "' is neither a git blob id nor a sha256");
        const auto [it, added] = sizes.emplace(file.etag, file.size);
        if (added) {
            layout.blobs.push_back(
                CacheBlob{.path = layout.repo_folder + "/blobs/" + file.etag, .etag = file.etag, .size = file.size});
        } else if (it->second != file.size) {
            return bad("'" + file.path + "': blob " + file.etag + " has sizes " + std::to_string(it->second) + " and " +
                       std::to_string(file.size));
        }
        layout.links.push_back(
            CacheLink{.path = snapshot + file.path, .target = blob_target(file.path, file.etag), .etag = file.etag});
    }
    if (revision != commit)
        layout.ref =
            CacheRef{.path = layout.repo_folder + "/refs/" + std::string(revision), .content = std::string(commit)};
    return layout;
}

}  // namespace gapbundle::sources::hf
