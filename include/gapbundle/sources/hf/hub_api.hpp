#pragma once

// What the Hub's API says about a repo at a revision (read at huggingface_hub 1.29.0.dev0:
// hf_api.py repo_info with files_metadata (blobs=true) and list_repo_tree, RepoSibling, RepoFile,
// utils/_pagination.py): the answers parsed into one listing, every field checked, since the
// paths become files on disk and the hashes are what downloads are checked against.

#include <gapbundle/sources/hf/repo_id.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::hf {

struct RepoFile {
    std::string path;                       // safe relative path (util/fs.hpp check_relative_path)
    std::uint64_t size = 0;                 // the file's real size (the LFS object's for LFS files)
    std::string git_blob_id;                // 40 hex: git's blob id (of the pointer, for LFS files)
    std::optional<std::string> lfs_sha256;  // 64 hex, for LFS (and Xet) files

    friend bool operator==(const RepoFile&, const RepoFile&) = default;
};

struct RepoListing {
    std::string commit;           // 40 hex
    std::vector<RepoFile> files;  // in the Hub's order
};

// GET {endpoint}/api/{models|datasets}/{id}/revision/{quote(revision, safe="")}?blobs=true
std::string revision_info_url(std::string_view endpoint, const RepoId& repo, std::string_view revision);
// GET {endpoint}/api/{models|datasets}/{id}/tree/{quote(revision, safe="")}?recursive=true&expand=false
std::string tree_url(std::string_view endpoint, const RepoId& repo, std::string_view revision);
// {endpoint}/{""|"datasets/"}{id}/resolve/{quote(revision, safe="")}/{quote(path)}
std::string resolve_url(std::string_view endpoint, const RepoId& repo, std::string_view revision,
                        std::string_view path);

// The revision-info answer with blobs=true: "sha" as the commit, "siblings" (rfilename, size,
// blobId, lfs{sha256,size}) as the files. ErrorCode::download naming the repo and the field.
Result<RepoListing> parse_revision_info(const RepoId& repo, std::string_view json);

// One page of the recursive tree: "file" entries (path, size, oid, lfs{oid,size}) in order;
// "directory" entries are checked and skipped.
Result<std::vector<RepoFile>> parse_tree_page(const RepoId& repo, std::string_view json);

// The pages' files under their commit: the commit must be 40 hex, and no path may repeat or be
// both a file and a folder ("a" and "a/b").
Result<RepoListing> make_listing(const RepoId& repo, std::string commit, std::vector<RepoFile> files);

// The "next" URL of a Link header (`<url>; rel="next"`, read as httpx reads Link), or none. It
// must be an absolute http(s) URL. The caller sends the token only to the endpoint's origin.
Result<std::optional<std::string>> next_page_url(const RepoId& repo, std::string_view link_header);

}  // namespace gapbundle::sources::hf
