#pragma once

// Hugging Face Hub repository ids, types and revisions, with the rules huggingface_hub applies
// (read at huggingface_hub 1.29.0.dev0: utils/_validators.py validate_repo_id, file_download.py
// repo_folder_name and hf_hub_url, hf_api.py's revision paths).

#include <gapbundle/util/error.hpp>

#include <string>
#include <string_view>

namespace gapbundle::sources::hf {

enum class RepoType { model, dataset };

// "model" or "dataset"; "space" (and anything else) is refused with ErrorCode::manifest.
Result<RepoType> parse_repo_type(std::string_view text);
std::string_view to_string(RepoType type);   // "model", "dataset"
std::string_view api_plural(RepoType type);  // "models", "datasets": /api/{plural}/...
std::string_view url_prefix(RepoType type);  // "", "datasets/": /{prefix}{id}/resolve/...

struct RepoId {
    RepoType type = RepoType::model;
    std::string id;  // "org/name" or "name"

    friend bool operator==(const RepoId&, const RepoId&) = default;
};

// "repo 'org/name'" for models, "dataset 'org/name'" for datasets: the subject of messages.
std::string describe(const RepoId& repo);

// validate_repo_id: "name" or "namespace/name"; ASCII letters, digits, '-', '_', '.'; each part
// starts and ends with a letter, digit or '_'; the name at most 96 characters; no "--" or "..";
// not ending in ".git". ErrorCode::manifest naming the id and the rule.
Status validate_repo_id(std::string_view id);
Result<RepoId> parse_repo_id(RepoType type, std::string_view id);

// models--org--name, datasets--org--name: the repo's folder in the hub cache.
std::string repo_folder_name(const RepoId& repo);

// A 40-hex lowercase commit id (huggingface_hub's REGEX_COMMIT_HASH).
bool is_commit_hash(std::string_view revision);

// A revision the Hub can resolve and the cache can store under refs/: a commit id, or a branch
// or tag name by git's ref-name rules (`git check-ref-format --allow-onelevel`), so "refs/pr/1"
// is accepted. ErrorCode::manifest naming the revision and the rule.
Status validate_revision(std::string_view revision);

// Python's urllib.parse.quote: UTF-8 bytes other than letters, digits, "_.-~" and the `safe`
// characters become %XX (upper-case hex).
std::string url_quote(std::string_view text, std::string_view safe);
// A revision in an API or resolve path: quote(revision, safe="") ("refs/pr/1" -> "refs%2Fpr%2F1").
std::string quote_revision(std::string_view revision);
// A file path in a resolve URL: quote(path) with its default safe="/".
std::string quote_path(std::string_view path);

}  // namespace gapbundle::sources::hf
