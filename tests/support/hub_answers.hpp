#pragma once

// The pieces of the loopback Hub (hub_test_server.cpp) that make answers: what it keeps of a
// repo, URL segments and escapes, the Hub's JSON for repo info and trees, and error answers.

#include "support/http_test_server.hpp"
#include "support/hub_content.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::testing::hub_detail {

using Json = nlohmann::ordered_json;

struct StoredFile {
    std::shared_ptr<const std::string> bytes;
    HubStorage storage = HubStorage::git;
    std::string blob_id;  // git blob sha1 (of the pointer for LFS files)
    std::string sha256;   // LFS files
    std::string pointer;  // LFS files: what git keeps
};

struct StoredCommit {
    std::string sha;
    std::map<std::string, StoredFile> files;  // by path
};

struct StoredRepo {
    HubRepoType type = HubRepoType::model;
    std::string id;
    HubAccess access = HubAccess::open;
    std::vector<StoredCommit> commits;
    std::map<std::string, std::size_t> refs;  // branch or tag → index in commits

    [[nodiscard]] const StoredCommit* find(const std::string& revision) const
    {
        // "HEAD" is the default branch, as the Hub's API takes it (huggingface.js asks for it).
        if (auto it = refs.find(revision == "HEAD" ? "main" : revision); it != refs.end()) return &commits[it->second];
        for (const auto& commit : commits)
            if (commit.sha == revision) return &commit;
        return nullptr;
    }
};

const char* plural(HubRepoType type);    // "models", "datasets"
const char* singular(HubRepoType type);  // "model", "dataset"
// Escapes all but unreserved characters and those in `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = "");
std::string percent_decode(std::string_view text);
// The raw (still encoded) non-empty segments of a request target's path.
std::vector<std::string> raw_segments(std::string_view target);
// Segments [from, end) joined with '/', then decoded: "refs%2Fpr%2F1" and "refs/pr/1" agree.
std::string decoded_tail(const std::vector<std::string>& segments, std::size_t from);

// The Hub's error: X-Error-Code (when `code` is set), X-Error-Message, {"error": message}.
RouteAnswer hub_error(int status, const std::string& code, const std::string& message, HeaderList extra = {});
// S3's XML error.
RouteAnswer s3_error(int status, const std::string& code, const std::string& message);
std::string content_type_of(std::string_view path);

// GET /api/{type}s/{id}/revision/{rev}; `blobs` adds size, blobId and lfs to the siblings.
Json info_json(const StoredRepo& repo, const StoredCommit& commit, bool blobs);
// Every file and folder (file == nullptr) of a commit, in path order.
std::vector<std::pair<std::string, const StoredFile*>> tree_entries(const StoredCommit& commit);
Json tree_entry_json(const std::string& path, const StoredFile* file, const std::string& commit);

}  // namespace gapbundle::testing::hub_detail
