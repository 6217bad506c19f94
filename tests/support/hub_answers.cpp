#include "support/hub_answers.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <gapbundle/util/text.hpp>

namespace gapbundle::testing::hub_detail {

namespace {

constexpr const char* k_modified = "2026-01-01T00:00:00.000Z";

bool is_unreserved(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

Json sibling_json(const std::string& path, const StoredFile& file, bool blobs)
{
    Json sibling = {{"rfilename", path}};
    if (!blobs) return sibling;
    sibling["size"] = file.bytes->size();
    sibling["blobId"] = file.blob_id;
    if (file.storage == HubStorage::lfs)
        sibling["lfs"] = {{"sha256", file.sha256}, {"size", file.bytes->size()}, {"pointerSize", file.pointer.size()}};
    return sibling;
}

}  // namespace

const char* plural(HubRepoType type)
{
    return type == HubRepoType::model ? "models" : "datasets";
}
const char* singular(HubRepoType type)
{
    return type == HubRepoType::model ? "model" : "dataset";
}

std::string percent_encode(std::string_view text, std::string_view keep)
{
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        if (is_unreserved(c) || keep.find(c) != std::string_view::npos) {
            out.push_back(c);
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out += {'%', k_hex[byte >> 4], k_hex[byte & 0xf]};
    }
    return out;
}

std::string percent_decode(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

// The raw (still encoded) segments of a request target's path.
std::vector<std::string> raw_segments(std::string_view target)
{
    target = target.substr(0, target.find('?'));
    std::vector<std::string> out;
    for (const auto part : text::split(target, '/'))
        if (!part.empty()) out.emplace_back(part);
    return out;
}

// Segments [from, end) joined with '/', then decoded: "refs%2Fpr%2F1" and "refs/pr/1" agree.
std::string decoded_tail(const std::vector<std::string>& segments, std::size_t from)
{
    std::string joined;
    for (std::size_t i = from; i < segments.size(); ++i) joined += (i == from ? "" : "/") + segments[i];
    return percent_decode(joined);
}

RouteAnswer hub_error(int status, const std::string& code, const std::string& message, HeaderList extra)
{
    RouteAnswer answer;
    answer.status = status;
    if (!code.empty()) answer.headers.emplace_back("X-Error-Code", code);
    answer.headers.emplace_back("X-Error-Message", message);
    for (auto& header : extra) answer.headers.push_back(std::move(header));
    answer.body = Json{{"error", message}}.dump();
    return answer;
}

RouteAnswer s3_error(int status, const std::string& code, const std::string& message)
{
    RouteAnswer answer;
    answer.status = status;
    answer.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message +
                  "</Message></Error>";
    answer.content_type = "application/xml";
    return answer;
}

std::string content_type_of(std::string_view path)
{
    if (path.ends_with(".json")) return "application/json";
    for (const char* ext : {".md", ".txt", ".csv", ".jsonl", ".gitattributes"})
        if (path.ends_with(ext)) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

Json info_json(const StoredRepo& repo, const StoredCommit& commit, bool blobs)
{
    Json siblings = Json::array();
    std::size_t used = 0;
    for (const auto& [path, file] : commit.files) {
        siblings.push_back(sibling_json(path, file, blobs));
        used += file.bytes->size();
    }
    Json info = {{"_id", sha1_hex(repo.id).substr(0, 24)}, {"id", repo.id}};
    if (repo.type == HubRepoType::model) info["modelId"] = repo.id;
    info["author"] = repo.id.substr(0, repo.id.find('/'));
    info["sha"] = commit.sha;
    info["lastModified"] = k_modified;
    info["private"] = repo.access == HubAccess::private_repo;
    info["gated"] = repo.access == HubAccess::gated ? Json("manual") : Json(false);
    info["disabled"] = false;
    info["downloads"] = 0;
    info["likes"] = 0;
    info["tags"] = Json::array();
    info["siblings"] = std::move(siblings);
    info["createdAt"] = k_modified;
    if (blobs) info["usedStorage"] = used;
    return info;
}

// Every file and folder of a commit, in path order.
std::vector<std::pair<std::string, const StoredFile*>> tree_entries(const StoredCommit& commit)
{
    std::set<std::string> folders;
    for (const auto& [path, file] : commit.files)
        for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
            folders.insert(path.substr(0, slash));
    std::vector<std::pair<std::string, const StoredFile*>> out;
    for (const auto& folder : folders) out.emplace_back(folder, nullptr);
    for (const auto& [path, file] : commit.files) out.emplace_back(path, &file);
    std::ranges::sort(out, {}, &std::pair<std::string, const StoredFile*>::first);
    return out;
}

Json tree_entry_json(const std::string& path, const StoredFile* file, const std::string& commit)
{
    if (!file)
        return {{"type", "directory"}, {"oid", sha1_hex("tree " + commit + " " + path)}, {"size", 0}, {"path", path}};
    Json entry = {{"type", "file"}, {"oid", file->blob_id}, {"size", file->bytes->size()}, {"path", path}};
    if (file->storage == HubStorage::lfs)
        entry["lfs"] = {{"oid", file->sha256}, {"size", file->bytes->size()}, {"pointerSize", file->pointer.size()}};
    return entry;
}

}  // namespace gapbundle::testing::hub_detail
