#pragma once

// What a loopback Hugging Face Hub (hub_test_server.hpp) serves: repos, their commits and files,
// the git and LFS identities of a file, and realistic content (a valid safetensors file, a
// model repo and a dataset repo shaped like real ones).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::testing {

enum class HubRepoType { model, dataset };
// How the Hub keeps a file: in git (served by the Hub itself) or in LFS (redirected to storage).
enum class HubStorage { git, lfs };
// open: anyone; gated: a valid token is needed; private_repo: without a valid token it looks missing.
enum class HubAccess { open, gated, private_repo };

struct HubFile {
    HubFile(std::string file_path, std::string file_bytes, HubStorage file_storage = HubStorage::git);
    std::string path;  // "original/params.json"
    std::string bytes;
    HubStorage storage = HubStorage::git;
};

struct HubCommit {
    std::string sha;                    // 40 hex; empty: derived from the repo and the files
    std::vector<std::string> branches;  // "main", "refs/pr/1", ...
    std::vector<std::string> tags;      // "v1.0", ...
    std::vector<HubFile> files;
};

struct HubRepo {
    HubRepo(HubRepoType repo_type, std::string repo_id);  // repo_id "org/name"
    // Adds a file to the first commit (made when there is none yet).
    HubRepo& add(std::string path, std::string bytes, HubStorage storage = HubStorage::git);

    HubRepoType type = HubRepoType::model;
    std::string id;
    HubAccess access = HubAccess::open;
    // When no commit names a branch, the first one is "main".
    std::vector<HubCommit> commits;
};

// Git's object id of a file: sha1("blob <size>\0" + bytes), lowercase hex.
std::string git_blob_sha1(std::string_view bytes);
// The pointer git keeps for an LFS file ("version https://git-lfs.github.com/spec/v1\noid sha256:...").
std::string lfs_pointer(std::string_view bytes);
std::string sha1_hex(std::string_view bytes);

// A valid safetensors file of about `megabytes` MiB (0 gives a few hundred bytes): 8-byte
// little-endian header length, a JSON header (space-padded to 8 bytes) with "__metadata__" and
// F32 tensors (dtype, shape, data_offsets, contiguous and in order), then the data, filled from
// `seed`. The same arguments give the same bytes.
std::string safetensors_file(std::size_t megabytes, std::uint32_t seed);

// A model repo shaped like a real one: config.json, generation_config.json, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json, README.md (git) and model.safetensors
// (`megabytes` MiB, LFS), plus original/params.json (git) and original/consolidated.00.pth (LFS).
HubRepo tiny_model_repo(std::string id = "gapbundle-test/tiny-model", std::size_t megabytes = 2);
// A dataset repo: README.md, data/train.csv, data/test.csv, data/validation.jsonl (git) and
// data/train-00000-of-00001.parquet (LFS, a parquet-shaped blob starting and ending with "PAR1").
HubRepo tiny_dataset_repo(std::string id = "gapbundle-test/tiny-dataset");

}  // namespace gapbundle::testing
