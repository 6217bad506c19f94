#include "support/hub_test_server.hpp"
#include "support/hub_answers.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

namespace gapbundle::testing {

namespace {

using namespace hub_detail;

constexpr const char* k_expires = "1893456000";  // 2030-01-01, as a signed URL's expiry

// Who is asking, by the Authorization header.
enum class Caller { anonymous, granted, not_granted, invalid };

// The outcome of opening a repo at a revision: the commit, or the Hub's error answer.
struct Opened {
    const StoredRepo* repo = nullptr;
    const StoredCommit* commit = nullptr;
    std::optional<RouteAnswer> error;
};

std::string fault_key(HubRepoType type, const std::string& id, const std::string& file)
{
    return std::string("hub-file:") + plural(type) + "/" + id + "/" + file;
}

std::string signature(const std::string& path)
{
    return crypto::sha256_hex("gapbundle-test:" + path + k_expires).substr(0, 40);
}

}  // namespace

struct HubTestServer::Impl {
    mutable std::mutex mutex;
    std::map<std::pair<HubRepoType, std::string>, StoredRepo> repos;
    std::map<std::string, GatedAccess> tokens;
    std::map<std::string, std::shared_ptr<const std::string>> blobs;  // storage path → bytes
    std::size_t page_size = 1000;
    std::string storage_host = "localhost";
    // Last, so that they stop before the state their handlers use goes away.
    HttpTestServer hub;
    HttpTestServer storage;

    explicit Impl(const std::optional<TlsFiles>& tls) : hub(tls), storage(tls) {}

    Caller caller(const RouteRequest& req) const;
    Opened open(HubRepoType type, const std::string& id, const std::string& revision, Caller who) const;
    std::optional<RouteAnswer> api(const RouteRequest& req) const;
    RouteAnswer tree(const RouteRequest& req, const Opened& opened, const std::string& folder) const;
    std::optional<RouteAnswer> resolve(const RouteRequest& req) const;
    std::optional<RouteAnswer> serve_storage(const RouteRequest& req) const;
    [[nodiscard]] std::string storage_path(HubRepoType type, const std::string& id, const std::string& sha256) const
    {
        return std::string("/repos/") + plural(type) + "/" + id + "/" + sha256;
    }
};

Caller HubTestServer::Impl::caller(const RouteRequest& req) const
{
    const auto authorization = req.header("Authorization");
    if (!authorization) return Caller::anonymous;
    if (!authorization->starts_with("Bearer ")) return Caller::invalid;
    const auto it = tokens.find(authorization->substr(7));
    if (it == tokens.end()) return Caller::invalid;
    return it->second == GatedAccess::granted ? Caller::granted : Caller::not_granted;
}

Opened HubTestServer::Impl::open(HubRepoType type, const std::string& id, const std::string& revision, Caller who) const
{
    Opened out;
    if (who == Caller::invalid) {
        out.error = hub_error(401, "", "Invalid credentials in Authorization header");
        return out;
    }
    const bool signed_in = who != Caller::anonymous;
    const auto it = repos.find({type, id});
    if (it == repos.end() || (it->second.access == HubAccess::private_repo && !signed_in)) {
        out.error = hub_error(signed_in ? 404 : 401, "RepoNotFound", "Repository not found");
        return out;
    }
    const StoredRepo& repo = it->second;
    const std::string what = std::string(singular(type)) + " " + id;
    if (repo.access == HubAccess::gated && who == Caller::anonymous) {
        out.error = hub_error(401, "GatedRepo",
                              "Access to " + what +
                                  " is restricted. You must have access to it and "
                                  "be authenticated to access it. Please log in.");
        return out;
    }
    if (repo.access == HubAccess::gated && who == Caller::not_granted) {
        out.error = hub_error(403, "GatedRepo",
                              "Access to " + what +
                                  " is restricted and you are not in the "
                                  "authorized list. Visit https://huggingface.co/" +
                                  id + " to ask for access.");
        return out;
    }
    out.repo = &repo;
    out.commit = repo.find(revision);
    if (!out.commit) out.error = hub_error(404, "RevisionNotFound", "Invalid rev id: " + revision);
    return out;
}

std::optional<RouteAnswer> HubTestServer::Impl::api(const RouteRequest& req) const
{
    const auto segments = raw_segments(req.target);
    if (segments.size() < 4 || segments[0] != "api") return std::nullopt;
    HubRepoType type = HubRepoType::model;
    if (segments[1] == "datasets")
        type = HubRepoType::dataset;
    else if (segments[1] != "models")
        return std::nullopt;
    const std::string id = percent_decode(segments[2]) + "/" + percent_decode(segments[3]);
    const bool info = segments.size() == 4 || (segments.size() > 5 && segments[4] == "revision");
    const bool listing = segments.size() > 5 && segments[4] == "tree";
    if (!info && !listing) return std::nullopt;
    const std::string revision = segments.size() == 4 ? "main"
                                 : info               ? decoded_tail(segments, 5)
                                                      : percent_decode(segments[5]);
    std::lock_guard lock(mutex);
    const Opened opened = open(type, id, revision, caller(req));
    if (opened.error) return opened.error;
    if (listing) return tree(req, opened, decoded_tail(segments, 6));
    RouteAnswer answer;
    answer.body = info_json(*opened.repo, *opened.commit, req.param("blobs") == "true").dump();
    return answer;
}

RouteAnswer HubTestServer::Impl::tree(const RouteRequest& req, const Opened& opened, const std::string& folder) const
{
    const auto all = tree_entries(*opened.commit);
    const bool is_folder = folder.empty() || std::ranges::any_of(all, [&](const auto& entry) {
                               return !entry.second && entry.first == folder;
                           });
    if (!is_folder) return hub_error(404, "EntryNotFound", "Entry not found", {{"X-Repo-Commit", opened.commit->sha}});
    const bool recursive = req.param("recursive") == "true" || req.param("recursive") == "1";
    const std::string prefix = folder.empty() ? "" : folder + "/";
    std::vector<Json> entries;
    for (const auto& [path, file] : all) {
        if (!path.starts_with(prefix)) continue;
        if (!recursive && path.find('/', prefix.size()) != std::string::npos) continue;
        entries.push_back(tree_entry_json(path, file, opened.commit->sha));
    }
    std::size_t offset = 0;
    if (const auto cursor = req.param("cursor")) {
        const auto decoded = text::base64_decode(*cursor);
        const std::string value = decoded ? std::string(decoded->begin(), decoded->end()) : "";
        if (value.empty() || !std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; }))
            return hub_error(400, "", "Invalid cursor");
        offset = std::min<std::size_t>(std::stoul(value), entries.size());
    }
    const std::size_t end = std::min(entries.size(), offset + page_size);
    RouteAnswer answer;
    answer.body = Json(std::vector<Json>(entries.begin() + static_cast<std::ptrdiff_t>(offset),
                                         entries.begin() + static_cast<std::ptrdiff_t>(end)))
                      .dump();
    if (end < entries.size()) {
        std::string query;
        for (const auto& [name, value] : req.params)
            if (name != "cursor") query += percent_encode(name) + "=" + percent_encode(value) + "&";
        const std::string next = std::to_string(end);
        const auto* data = reinterpret_cast<const std::uint8_t*>(next.data());
        query += "cursor=" + percent_encode(text::base64_encode(std::span(data, next.size())));
        const std::string path = req.target.substr(0, req.target.find('?'));
        answer.headers.emplace_back("Link", "<" + hub.url(path) + "?" + query + ">; rel=\"next\"");
    }
    return answer;
}

std::optional<RouteAnswer> HubTestServer::Impl::resolve(const RouteRequest& req) const
{
    auto segments = raw_segments(req.target);
    HubRepoType type = HubRepoType::model;
    if (!segments.empty() && segments[0] == "datasets") {
        type = HubRepoType::dataset;
        segments.erase(segments.begin());
    }
    if (segments.size() < 5 || (segments[2] != "resolve" && segments[2] != "raw") || segments[0] == "api")
        return std::nullopt;
    const bool raw = segments[2] == "raw";
    const std::string id = percent_decode(segments[0]) + "/" + percent_decode(segments[1]);
    const std::string path = decoded_tail(segments, 4);
    std::lock_guard lock(mutex);
    const Opened opened = open(type, id, percent_decode(segments[3]), caller(req));
    if (opened.error) return opened.error;
    const std::string& commit = opened.commit->sha;
    const auto it = opened.commit->files.find(path);
    if (it == opened.commit->files.end())
        return hub_error(404, "EntryNotFound", "Entry not found", {{"X-Repo-Commit", commit}});
    const StoredFile& file = it->second;
    RouteAnswer answer;
    answer.headers = {{"X-Repo-Commit", commit}, {"Accept-Ranges", "bytes"}};
    if (file.storage == HubStorage::git || raw) {
        answer.headers.emplace_back("ETag", "\"" + file.blob_id + "\"");
        if (file.storage == HubStorage::git) answer.shared_body = file.bytes;
        else answer.body = file.pointer;
        answer.content_type = content_type_of(path);
        answer.fault_key = fault_key(type, id, path) + (raw ? "#raw" : "");
        return answer;
    }
    const std::string where = storage_path(type, id, file.sha256);
    const std::string name = path.substr(path.rfind('/') + 1);
    const std::string location = storage.url_on(storage_host, where) + "?response-content-disposition=" +
                                 percent_encode("inline; filename=\"" + name + "\"") + "&Expires=" + k_expires +
                                 "&Signature=" + signature(where) + "&Key-Pair-Id=KGAPBUNDLETEST";
    answer.status = 302;
    answer.headers.emplace_back("Location", location);
    answer.headers.emplace_back("ETag", "\"" + file.sha256 + "\"");
    answer.headers.emplace_back("X-Linked-Etag", "\"" + file.sha256 + "\"");
    answer.headers.emplace_back("X-Linked-Size", std::to_string(file.bytes->size()));
    answer.body = "Found. Redirecting to " + location;
    answer.content_type = "text/plain; charset=utf-8";
    return answer;
}

std::optional<RouteAnswer> HubTestServer::Impl::serve_storage(const RouteRequest& req) const
{
    if (req.header("Authorization"))
        return s3_error(400, "InvalidArgument",
                        "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                        "parameter, Signature query string parameter or the Authorization "
                        "header should be specified");
    std::lock_guard lock(mutex);
    const auto it = blobs.find(req.path);
    if (it == blobs.end()) return s3_error(404, "NoSuchKey", "The specified key does not exist.");
    if (req.param("Signature") != signature(req.path) || req.param("Expires") != k_expires)
        return s3_error(403, "AccessDenied", "Access denied");
    RouteAnswer answer;
    // As the Hub's CDN does: the object's sha256 (the last segment of its key) is its ETag.
    answer.headers = {{"Accept-Ranges", "bytes"}, {"ETag", "\"" + req.path.substr(req.path.rfind('/') + 1) + "\""}};
    answer.shared_body = it->second;
    answer.content_type = "application/octet-stream";
    return answer;
}

HubTestServer::HubTestServer() : HubTestServer(std::nullopt) {}

HubTestServer::HubTestServer(const std::optional<TlsFiles>& tls) : m_impl(std::make_unique<Impl>(tls))
{
    Impl& impl = *m_impl;
    impl.hub.serve_route("/api/", [&impl](const RouteRequest& req) { return impl.api(req); });
    impl.hub.serve_route("/", [&impl](const RouteRequest& req) { return impl.resolve(req); });
    impl.storage.serve_route("/repos/", [&impl](const RouteRequest& req) { return impl.serve_storage(req); });
}

HubTestServer::~HubTestServer() = default;

std::string HubTestServer::url() const
{
    return m_impl->hub.url("");
}

std::string HubTestServer::storage_url() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->storage.url_on(m_impl->storage_host, "");
}

void HubTestServer::set_storage_host_name(std::string name)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->storage_host = std::move(name);
}

void HubTestServer::add_repo(HubRepo repo)
{
    const auto slash = repo.id.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == repo.id.size() ||
        repo.id.find('/', slash + 1) != std::string::npos)
        throw std::invalid_argument("HubTestServer: repo id is not org/name: " + repo.id);
    if (repo.commits.empty()) repo.commits.emplace_back();
    if (std::ranges::all_of(repo.commits, [](const auto& c) { return c.branches.empty(); }))
        repo.commits.front().branches.emplace_back("main");
    StoredRepo stored{repo.type, repo.id, repo.access, {}, {}};
    std::map<std::string, std::shared_ptr<const std::string>> new_blobs;
    for (std::size_t index = 0; index < repo.commits.size(); ++index) {
        HubCommit& commit = repo.commits[index];
        StoredCommit& out = stored.commits.emplace_back();
        std::string identity = std::string(plural(repo.type)) + "/" + repo.id + "#" + std::to_string(index) + "\n";
        for (auto& file : commit.files) {
            StoredFile entry;
            entry.bytes = std::make_shared<const std::string>(std::move(file.bytes));
            entry.storage = file.storage;
            if (file.storage == HubStorage::lfs) {
                entry.pointer = lfs_pointer(*entry.bytes);
                entry.sha256 = crypto::sha256_hex(*entry.bytes);
                entry.blob_id = git_blob_sha1(entry.pointer);
                new_blobs[m_impl->storage_path(repo.type, repo.id, entry.sha256)] = entry.bytes;
            } else {
                entry.blob_id = git_blob_sha1(*entry.bytes);
            }
            identity += file.path + " " + entry.blob_id + "\n";
            out.files[file.path] = std::move(entry);
        }
        out.sha = commit.sha.empty() ? sha1_hex(identity) : commit.sha;
        if (out.sha.size() != 40 || !std::ranges::all_of(out.sha, [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
            }))
            throw std::invalid_argument("HubTestServer: commit sha is not 40 lowercase hex: " + out.sha);
        for (const auto& ref : commit.branches)
            if (!stored.refs.emplace(ref, index).second)
                throw std::invalid_argument("HubTestServer: ref named twice: " + ref);
        for (const auto& ref : commit.tags)
            if (!stored.refs.emplace(ref, index).second)
                throw std::invalid_argument("HubTestServer: ref named twice: " + ref);
    }
    std::lock_guard lock(m_impl->mutex);
    m_impl->blobs.merge(new_blobs);
    m_impl->repos.insert_or_assign({repo.type, repo.id}, std::move(stored));
}

void HubTestServer::set_token(std::string token, GatedAccess access)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->tokens[std::move(token)] = access;
}

void HubTestServer::set_page_size(std::size_t entries)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->page_size = std::max<std::size_t>(entries, 1);
}

std::string HubTestServer::commit(HubRepoType type, const std::string& repo_id, const std::string& revision) const
{
    std::lock_guard lock(m_impl->mutex);
    const auto* found = m_impl->repos.at({type, repo_id}).find(revision);
    if (!found) throw std::out_of_range("HubTestServer: no revision " + revision + " in " + repo_id);
    return found->sha;
}

std::string HubTestServer::resolve_path(HubRepoType type, const std::string& repo_id, const std::string& revision,
                                        const std::string& file)
{
    return std::string(type == HubRepoType::dataset ? "/datasets/" : "/") + repo_id + "/resolve/" +
           percent_encode(revision) + "/" + percent_encode(file, "/");
}

std::string HubTestServer::storage_path(HubRepoType type, const std::string& repo_id, const std::string& file) const
{
    std::lock_guard lock(m_impl->mutex);
    const StoredRepo& repo = m_impl->repos.at({type, repo_id});
    for (const auto& commit : repo.commits)
        if (auto it = commit.files.find(file); it != commit.files.end() && it->second.storage == HubStorage::lfs)
            return m_impl->storage_path(type, repo_id, it->second.sha256);
    throw std::out_of_range("HubTestServer: no LFS file " + file + " in " + repo_id);
}

// Where a file's faults go: the storage host's path for LFS files, the Hub's fault key otherwise.
namespace {
template <typename Apply>
void apply_file_fault(const HubTestServer& server, HttpTestServer& hub, HttpTestServer& storage, HubRepoType type,
                      const std::string& repo_id, const std::string& file, Apply apply)
{
    try {
        apply(storage, server.storage_path(type, repo_id, file));
    } catch (const std::out_of_range&) {
        apply(hub, fault_key(type, repo_id, file));
    }
}
}  // namespace

void HubTestServer::drop_after(HubRepoType type, const std::string& repo_id, const std::string& file, std::size_t bytes,
                               int times)
{
    apply_file_fault(*this, hub(), storage(), type, repo_id, file,
                     [&](HttpTestServer& host, const std::string& key) { host.drop_after(key, bytes, times); });
}

void HubTestServer::wrong_bytes(HubRepoType type, const std::string& repo_id, const std::string& file, int times)
{
    apply_file_fault(*this, hub(), storage(), type, repo_id, file,
                     [&](HttpTestServer& host, const std::string& key) { host.wrong_bytes(key, times); });
}

void HubTestServer::ignore_range(HubRepoType type, const std::string& repo_id, const std::string& file, int times)
{
    apply_file_fault(*this, hub(), storage(), type, repo_id, file,
                     [&](HttpTestServer& host, const std::string& key) { host.ignore_range(key, times); });
}

void HubTestServer::fail_times(const std::string& path, int times, int status, HeaderList headers)
{
    m_impl->hub.fail_times(path, times, status, std::move(headers));
}

HttpTestServer& HubTestServer::hub()
{
    return m_impl->hub;
}
HttpTestServer& HubTestServer::storage()
{
    return m_impl->storage;
}

}  // namespace gapbundle::testing
