#pragma once

// Where huggingface_hub's cache keeps a snapshot (read at huggingface_hub 1.29.0.dev0:
// file_download.py repo_folder_name, hf_hub_download's blob_path and _get_pointer_path,
// _create_symlink, _cache_commit_hash_for_specific_revision; _snapshot_download.py), as pure
// functions on relative paths, so `HF_HUB_OFFLINE=1` readers find what we lay out:
//
//   models--org--name/blobs/<etag>
//   models--org--name/snapshots/<commit>/<path>  ->  ../../blobs/<etag>  (one more ".." per folder)
//   models--org--name/refs/<revision>            =   <commit>, no newline (not for a commit id)

#include <gapbundle/sources/hf/hub_api.hpp>
#include <gapbundle/sources/hf/repo_id.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::hf {

// What the cache names a file by: the ETag the Hub gives, which is the LFS sha256 for LFS (and Xet)
// files and the git blob sha1 for regular files.
std::string cache_etag(const RepoFile& file);

struct CacheFile {
    std::string path;  // in the repo
    std::string etag;  // 40 or 64 lowercase hex
    std::uint64_t size = 0;
};

struct CacheBlob {
    std::string path;  // REPO_FOLDER/blobs/<etag>
    std::string etag;
    std::uint64_t size = 0;
};

struct CacheLink {
    std::string path;    // REPO_FOLDER/snapshots/<commit>/<file path>
    std::string target;  // relative: ../../blobs/<etag>, with one more "../" per folder of the path
    std::string etag;
};

struct CacheRef {
    std::string path;     // REPO_FOLDER/refs/<revision>, folders for a revision with '/'
    std::string content;  // the commit, no trailing newline
};

struct CacheLayout {
    std::string repo_folder;       // models--org--name
    std::vector<CacheBlob> blobs;  // one per etag, in first-use order
    std::vector<CacheLink> links;  // one per file, in the files' order
    std::optional<CacheRef> ref;   // none when the revision is the commit itself
};

std::vector<CacheFile> cache_files(const std::vector<RepoFile>& files);

// Paths relative to the hub cache folder (HF_HUB_CACHE). The revision is checked with
// validate_revision (ErrorCode::manifest); a commit that is not 40 hex, a revision that is another
// commit id, a bad etag, an unsafe or repeated path, or one etag with two sizes is
// ErrorCode::download naming the repo.
Result<CacheLayout> cache_layout(const RepoId& repo, std::string_view revision, std::string_view commit,
                                 std::span<const CacheFile> files);

}  // namespace gapbundle::sources::hf
