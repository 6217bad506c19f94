#include "support/hub_test_server.hpp"
#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/net/http_request.hpp>

#include <gtest/gtest.h>
#include <gapbundle/util/text.hpp>

#include <curl/curl.h>
#include <strings.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>

namespace gapbundle::testing {
namespace {

using nlohmann::json;

constexpr const char* k_model = "gapbundle-test/tiny-model";
constexpr const char* k_dataset = "gapbundle-test/tiny-dataset";
constexpr const char* k_token = "hf_good_token";

// A plain client that follows no redirect and keeps header values as sent (httplib's client
// percent-decodes them, which breaks the signed Location and the Link cursor).
struct Reply {
    bool complete = false;  // false when the transfer failed (e.g. the connection dropped mid-body)
    long status = 0;
    HeaderList headers;
    std::string body;
    explicit operator bool() const { return complete; }
    [[nodiscard]] std::string get_header_value(std::string_view name) const
    {
        for (const auto& [key, value] : headers)
            if (strcasecmp(key.c_str(), std::string(name).c_str()) == 0) return value;
        return "";
    }
    [[nodiscard]] bool has_header(std::string_view name) const
    {
        return std::ranges::any_of(
            headers, [&](const auto& h) { return strcasecmp(h.first.c_str(), std::string(name).c_str()) == 0; });
    }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    static_cast<Reply*>(user)->body.append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& reply = *static_cast<Reply*>(user);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    const auto colon = line.find(':');
    if (line.starts_with("HTTP/"))
        reply.headers.clear();
    else if (colon != std::string::npos)
        reply.headers.emplace_back(line.substr(0, colon),
                                   std::string(text::trim(std::string_view(line).substr(colon + 1))));
    return size * count;
}

// `ca`: a PEM bundle to trust for HTTPS.
Reply request(const std::string& method, const std::string& url, const HeaderList& headers = {},
              const std::string& ca = "")
{
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(nullptr, &curl_slist_free_all);
    for (const auto& [name, value] : headers)
        list.reset(curl_slist_append(list.release(), (name + ": " + value).c_str()));
    Reply reply;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
    if (!ca.empty()) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, ca.c_str());
    reply.complete = curl_easy_perform(curl.get()) == CURLE_OK;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

HeaderList bearer(const std::string& token)
{
    return {{"Authorization", "Bearer " + token}};
}

class HubTestServerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_server.add_repo(tiny_model_repo(k_model, 1));
        m_server.add_repo(tiny_dataset_repo(k_dataset));
        m_server.set_token(k_token);
    }
    std::string hub(const std::string& path) const { return m_server.url() + path; }
    std::string resolve(const std::string& file, const std::string& revision = "main") const
    {
        return hub(HubTestServer::resolve_path(HubRepoType::model, k_model, revision, file));
    }
    json get_json(const std::string& path, const HeaderList& headers = {}) const
    {
        auto res = request("GET", hub(path), headers);
        if (!res || res.status != 200) {
            ADD_FAILURE() << path << ": " << (res ? res.status : -1);
            return {};
        }
        return json::parse(res.body);
    }
    // The model's bytes for `file`, from the repo as built.
    static std::string model_bytes(const std::string& file)
    {
        const HubRepo repo = tiny_model_repo(k_model, 1);
        for (const auto& f : repo.commits.front().files)
            if (f.path == file) return f.bytes;
        return {};
    }

    HubTestServer m_server;
};

void expect_hub_error(const Reply& res, int status, const std::string& code)
{
    ASSERT_TRUE(res);
    EXPECT_EQ(res.status, status);
    EXPECT_EQ(res.get_header_value("X-Error-Code"), code);
    EXPECT_FALSE(res.get_header_value("X-Error-Message").empty());
}

TEST_F(HubTestServerTest, RepoInfoListsSiblingsByNameOnly)
{
    const json info = get_json(std::string("/api/models/") + k_model + "/revision/main");
    EXPECT_EQ(info["id"], k_model);
    EXPECT_EQ(info["sha"], m_server.commit(HubRepoType::model, k_model));
    EXPECT_EQ(info["private"], false);
    EXPECT_EQ(info["gated"], false);
    std::set<std::string> names;
    for (const auto& sibling : info["siblings"]) {
        EXPECT_EQ(sibling.size(), 1u) << sibling.dump();
        names.insert(sibling["rfilename"].get<std::string>());
    }
    for (const char* expected : {"config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                 "special_tokens_map.json", "model.safetensors", "README.md", "original/params.json"})
        EXPECT_TRUE(names.contains(expected)) << expected;
    // Without a revision: the default branch.
    EXPECT_EQ(get_json(std::string("/api/models/") + k_model)["sha"], info["sha"]);
}

TEST_F(HubTestServerTest, RepoInfoWithBlobsGivesGitAndLfsIdentities)
{
    const json info = get_json(std::string("/api/models/") + k_model + "/revision/main?blobs=true");
    const std::string config = model_bytes("config.json");
    const std::string weights = model_bytes("model.safetensors");
    int checked = 0;
    for (const auto& sibling : info["siblings"]) {
        if (sibling["rfilename"] == "config.json") {
            EXPECT_EQ(sibling["size"], config.size());
            EXPECT_EQ(sibling["blobId"], git_blob_sha1(config));
            EXPECT_FALSE(sibling.contains("lfs"));
            ++checked;
        }
        if (sibling["rfilename"] == "model.safetensors") {
            EXPECT_EQ(sibling["size"], weights.size());
            EXPECT_EQ(sibling["blobId"], git_blob_sha1(lfs_pointer(weights)));
            EXPECT_EQ(sibling["lfs"]["sha256"], crypto::sha256_hex(weights));
            EXPECT_EQ(sibling["lfs"]["size"], weights.size());
            EXPECT_EQ(sibling["lfs"]["pointerSize"], lfs_pointer(weights).size());
            ++checked;
        }
    }
    EXPECT_EQ(checked, 2);
}

TEST_F(HubTestServerTest, GitBlobSha1MatchesGit)
{
    // `git hash-object` of an empty file and of "hello\n".
    EXPECT_EQ(git_blob_sha1(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    EXPECT_EQ(git_blob_sha1("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
}

TEST_F(HubTestServerTest, RevisionIsBranchTagOrCommitEncodedOrNot)
{
    HubRepo repo(HubRepoType::model, "org/history");
    HubCommit first;
    first.branches = {"main"};
    first.files.emplace_back("config.json", "{\"v\": 2}\n");
    HubCommit second;
    second.sha = std::string(40, 'a');
    second.branches = {"refs/pr/1"};
    second.tags = {"v1.0"};
    second.files.emplace_back("config.json", "{\"v\": 1}\n");
    repo.commits = {first, second};
    m_server.add_repo(repo);
    const std::string main_sha = m_server.commit(HubRepoType::model, "org/history");
    EXPECT_EQ(main_sha.size(), 40u);
    EXPECT_NE(main_sha, second.sha);
    for (const std::string& revision : std::vector<std::string>{"refs%2Fpr%2F1", "refs/pr/1", "v1.0", second.sha})
        EXPECT_EQ(get_json("/api/models/org/history/revision/" + revision)["sha"], second.sha) << revision;
    EXPECT_EQ(get_json("/api/models/org/history/revision/" + main_sha)["sha"], main_sha);

    auto res = request("GET", hub("/org/history/resolve/refs%2Fpr%2F1/config.json"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "{\"v\": 1}\n");
    EXPECT_EQ(res.get_header_value("X-Repo-Commit"), second.sha);
    res = request("GET", hub("/org/history/resolve/main/config.json"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res.body, "{\"v\": 2}\n");
    EXPECT_EQ(res.get_header_value("X-Repo-Commit"), main_sha);
}

TEST_F(HubTestServerTest, CommitIsDerivedFromContent)
{
    HubTestServer other;
    other.add_repo(tiny_model_repo(k_model, 1));
    EXPECT_EQ(other.commit(HubRepoType::model, k_model), m_server.commit(HubRepoType::model, k_model));
    HubRepo changed = tiny_model_repo(k_model, 1);
    changed.add("extra.txt", "x");
    other.add_repo(changed);
    EXPECT_NE(other.commit(HubRepoType::model, k_model), m_server.commit(HubRepoType::model, k_model));
    EXPECT_THROW(other.add_repo(HubRepo(HubRepoType::model, "no-org")), std::invalid_argument);
}

TEST_F(HubTestServerTest, TreeListsFilesAndFoldersWithLfsOid)
{
    const std::string commit = m_server.commit(HubRepoType::model, k_model);
    const json top = get_json(std::string("/api/models/") + k_model + "/tree/main");
    std::set<std::string> top_paths;
    for (const auto& entry : top) top_paths.insert(entry["path"].get<std::string>());
    EXPECT_TRUE(top_paths.contains("original"));
    EXPECT_FALSE(top_paths.contains("original/params.json"));

    const json all = get_json(std::string("/api/models/") + k_model + "/tree/" + commit + "?recursive=true");
    const std::string weights = model_bytes("model.safetensors");
    const std::string params = model_bytes("original/params.json");
    int checked = 0;
    for (const auto& entry : all) {
        if (entry["path"] == "original") {
            EXPECT_EQ(entry["type"], "directory");
            ++checked;
        } else if (entry["path"] == "original/params.json") {
            EXPECT_EQ(entry["type"], "file");
            EXPECT_EQ(entry["oid"], git_blob_sha1(params));
            EXPECT_EQ(entry["size"], params.size());
            ++checked;
        } else if (entry["path"] == "model.safetensors") {
            EXPECT_EQ(entry["oid"], git_blob_sha1(lfs_pointer(weights)));
            EXPECT_EQ(entry["size"], weights.size());
            EXPECT_EQ(entry["lfs"]["oid"], crypto::sha256_hex(weights));
            EXPECT_EQ(entry["lfs"]["size"], weights.size());
            EXPECT_EQ(entry["lfs"]["pointerSize"], lfs_pointer(weights).size());
            ++checked;
        }
    }
    EXPECT_EQ(checked, 3);

    const json sub = get_json(std::string("/api/models/") + k_model + "/tree/main/original?recursive=true");
    ASSERT_EQ(sub.size(), 2u);
    for (const auto& entry : sub) EXPECT_TRUE(entry["path"].get<std::string>().starts_with("original/"));
    expect_hub_error(request("GET", hub(std::string("/api/models/") + k_model + "/tree/main/nowhere")), 404,
                     "EntryNotFound");
}

TEST_F(HubTestServerTest, TreePaginatesWithLinkHeader)
{
    m_server.set_page_size(3);
    const std::string first = std::string("/api/models/") + k_model + "/tree/main?recursive=true";
    const json everything = [&] {
        HubTestServer whole;
        whole.add_repo(tiny_model_repo(k_model, 1));
        auto res = request("GET", whole.url() + first);
        return json::parse(res.body);
    }();
    std::vector<std::string> paths;
    std::string url = hub(first);
    int pages = 0;
    while (!url.empty() && pages < 20) {
        auto res = request("GET", url);
        ASSERT_TRUE(res);
        ASSERT_EQ(res.status, 200) << url << " body " << res.body;
        const json page = json::parse(res.body);
        EXPECT_LE(page.size(), 3u);
        for (const auto& entry : page) paths.push_back(entry["path"]);
        ++pages;
        const std::string link = res.get_header_value("Link");
        url.clear();
        if (!link.empty()) {
            EXPECT_TRUE(link.ends_with(">; rel=\"next\"")) << link;
            EXPECT_NE(link.find("recursive=true"), std::string::npos) << link;
            url = link.substr(1, link.find('>') - 1);
            EXPECT_TRUE(url.starts_with(m_server.url())) << url;
        }
    }
    EXPECT_GT(pages, 2);
    ASSERT_EQ(paths.size(), everything.size());
    for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_EQ(paths[i], everything[i]["path"]);
}

TEST_F(HubTestServerTest, ResolveServesGitFileWithCommitAndBlobEtag)
{
    const std::string config = model_bytes("config.json");
    const std::string commit = m_server.commit(HubRepoType::model, k_model);
    for (const char* method : {"HEAD", "GET"}) {
        auto res = request(method, resolve("config.json"));
        ASSERT_TRUE(res);
        EXPECT_EQ(res.status, 200);
        EXPECT_EQ(res.get_header_value("X-Repo-Commit"), commit);
        EXPECT_EQ(res.get_header_value("ETag"), "\"" + git_blob_sha1(config) + "\"");
        EXPECT_EQ(res.get_header_value("Content-Length"), std::to_string(config.size()));
        EXPECT_FALSE(res.has_header("X-Linked-Etag"));
        if (std::string(method) == "GET") {
            EXPECT_EQ(res.body, config);
        }
    }
    auto ranged = request("GET", resolve("config.json", commit), {{"Range", "bytes=2-9"}});
    ASSERT_TRUE(ranged);
    EXPECT_EQ(ranged.status, 206);
    EXPECT_EQ(ranged.body, config.substr(2, 8));
}

TEST_F(HubTestServerTest, ResolveRedirectsLfsToStorageWithLinkedHeaders)
{
    const std::string weights = model_bytes("model.safetensors");
    const std::string sha256 = crypto::sha256_hex(weights);
    auto head = request("HEAD", resolve("model.safetensors"));
    ASSERT_TRUE(head);
    EXPECT_EQ(head.status, 302);
    EXPECT_EQ(head.get_header_value("X-Repo-Commit"), m_server.commit(HubRepoType::model, k_model));
    EXPECT_EQ(head.get_header_value("X-Linked-Etag"), "\"" + sha256 + "\"");
    EXPECT_EQ(head.get_header_value("ETag"), "\"" + sha256 + "\"");
    EXPECT_EQ(head.get_header_value("X-Linked-Size"), std::to_string(weights.size()));
    const std::string location = head.get_header_value("Location");
    EXPECT_TRUE(location.starts_with(m_server.storage_url() + "/repos/")) << location;
    EXPECT_TRUE(location.starts_with("http://localhost:")) << location;
    EXPECT_NE(location.find("Signature="), std::string::npos);

    auto body = request("GET", location);
    ASSERT_TRUE(body);
    EXPECT_EQ(body.status, 200);
    EXPECT_EQ(crypto::sha256_hex(body.body), sha256);
    auto tail = request("GET", location, {{"Range", "bytes=1000-"}});
    ASSERT_TRUE(tail);
    EXPECT_EQ(tail.status, 206);
    EXPECT_TRUE(tail.body == weights.substr(1000));
    const auto log = m_server.storage().all_requests();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].header("Range"), "bytes=1000-");
}

TEST_F(HubTestServerTest, StorageEtagIsTheSha256AsTheCdnSends)
{
    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    auto first = request("GET", location, {{"Range", "bytes=0-0"}});
    EXPECT_EQ(first.status, 206);
    EXPECT_EQ(first.get_header_value("ETag"), "\"" + crypto::sha256_hex(model_bytes("model.safetensors")) + "\"");
    EXPECT_EQ(first.get_header_value("Content-Range"),
              "bytes 0-0/" + std::to_string(model_bytes("model.safetensors").size()));
}

TEST_F(HubTestServerTest, RawServesWhatGitKeeps)
{
    const std::string weights = model_bytes("model.safetensors");
    auto pointer = request("GET", hub(std::string("/") + k_model + "/raw/main/model.safetensors"));
    EXPECT_EQ(pointer.status, 200);
    EXPECT_EQ(pointer.body, lfs_pointer(weights));
    EXPECT_EQ(pointer.get_header_value("ETag"), "\"" + git_blob_sha1(lfs_pointer(weights)) + "\"");
    auto config = request("GET", hub(std::string("/") + k_model + "/raw/main/config.json"));
    EXPECT_EQ(config.body, model_bytes("config.json"));
}

TEST_F(HubTestServerTest, HeadRevisionIsTheDefaultBranch)
{
    EXPECT_EQ(get_json(std::string("/api/models/") + k_model + "/revision/HEAD")["sha"],
              m_server.commit(HubRepoType::model, k_model));
}

TEST_F(HubTestServerTest, ErrorBodiesIgnoreRange)
{
    auto res = request("GET", resolve("missing.bin"), {{"Range", "bytes=0-0"}});
    expect_hub_error(res, 404, "EntryNotFound");
    EXPECT_EQ(json::parse(res.body)["error"], "Entry not found");
    EXPECT_FALSE(res.has_header("Content-Range"));
}

TEST_F(HubTestServerTest, StorageRefusesAuthorizationAndBadSignatures)
{
    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    auto with_auth = request("GET", location, bearer(k_token));
    ASSERT_TRUE(with_auth);
    EXPECT_EQ(with_auth.status, 400);
    EXPECT_NE(with_auth.body.find("InvalidArgument"), std::string::npos);
    const std::string unsigned_url = location.substr(0, location.find('?'));
    auto no_signature = request("GET", unsigned_url);
    ASSERT_TRUE(no_signature);
    EXPECT_EQ(no_signature.status, 403);
}

TEST_F(HubTestServerTest, ProjectClientFollowsRedirectWithoutSendingTokenToStorage)
{
    HubRepo gated = tiny_model_repo("org/gated", 1);
    gated.access = HubAccess::gated;
    m_server.add_repo(gated);
    net::HttpRequest req;
    req.url =
        m_server.url() + HubTestServer::resolve_path(HubRepoType::model, "org/gated", "main", "model.safetensors");
    req.credentials.kind = net::Credentials::Kind::bearer;
    req.credentials.secret = k_token;
    net::EngineOptions options;
    options.max_attempts = 1;
    auto response = net::send(req, options);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(response->body == model_bytes("model.safetensors"));
    EXPECT_TRUE(response->effective_url.starts_with(m_server.storage_url()));
    for (const auto& seen : m_server.storage().all_requests()) EXPECT_EQ(seen.header("Authorization"), std::nullopt);
    const auto hub_log = m_server.hub().all_requests();
    ASSERT_EQ(hub_log.size(), 1u);
    EXPECT_EQ(hub_log[0].header("Authorization"), std::string("Bearer ") + k_token);
}

TEST_F(HubTestServerTest, ErrorsCarryHubErrorCodes)
{
    const std::string commit = m_server.commit(HubRepoType::model, k_model);
    expect_hub_error(request("GET", hub("/api/models/org/missing/revision/main")), 401, "RepoNotFound");
    expect_hub_error(request("GET", hub("/org/missing/resolve/main/config.json")), 401, "RepoNotFound");
    expect_hub_error(request("GET", hub("/org/missing/resolve/main/config.json"), bearer(k_token)), 404,
                     "RepoNotFound");
    expect_hub_error(request("GET", hub(std::string("/api/models/") + k_model + "/revision/nope")), 404,
                     "RevisionNotFound");
    expect_hub_error(request("HEAD", resolve("config.json", "nope")), 404, "RevisionNotFound");
    auto missing = request("HEAD", resolve("missing.bin"));
    expect_hub_error(missing, 404, "EntryNotFound");
    EXPECT_EQ(missing.get_header_value("X-Repo-Commit"), commit);
    // A dataset is not a model.
    expect_hub_error(request("GET", hub(std::string("/api/models/") + k_dataset)), 401, "RepoNotFound");
    auto bad_token = request("GET", resolve("config.json"), bearer("hf_unknown"));
    ASSERT_TRUE(bad_token);
    EXPECT_EQ(bad_token.status, 401);
    EXPECT_EQ(bad_token.get_header_value("X-Error-Message"), "Invalid credentials in Authorization header");
}

TEST_F(HubTestServerTest, GatedRepoNeedsGrantedToken)
{
    HubRepo gated = tiny_model_repo("org/gated", 1);
    gated.access = HubAccess::gated;
    m_server.add_repo(gated);
    m_server.set_token("hf_pending", GatedAccess::not_granted);
    const std::string file = hub(HubTestServer::resolve_path(HubRepoType::model, "org/gated", "main", "config.json"));
    expect_hub_error(request("GET", file), 401, "GatedRepo");
    expect_hub_error(request("GET", hub("/api/models/org/gated/revision/main")), 401, "GatedRepo");
    expect_hub_error(request("GET", file, bearer("hf_pending")), 403, "GatedRepo");
    auto granted = request("GET", file, bearer(k_token));
    ASSERT_TRUE(granted);
    EXPECT_EQ(granted.status, 200);
    EXPECT_EQ(get_json("/api/models/org/gated/revision/main", bearer(k_token))["gated"], "manual");
}

TEST_F(HubTestServerTest, PrivateRepoLooksMissingWithoutToken)
{
    HubRepo secret = tiny_model_repo("org/secret", 1);
    secret.access = HubAccess::private_repo;
    m_server.add_repo(secret);
    expect_hub_error(request("GET", hub("/api/models/org/secret/revision/main")), 401, "RepoNotFound");
    expect_hub_error(request("HEAD", hub("/org/secret/resolve/main/config.json")), 401, "RepoNotFound");
    EXPECT_EQ(get_json("/api/models/org/secret/revision/main", bearer(k_token))["private"], true);
}

TEST_F(HubTestServerTest, DatasetsUseTheirPrefix)
{
    const json info = get_json(std::string("/api/datasets/") + k_dataset + "/revision/main?blobs=true");
    EXPECT_EQ(info["id"], k_dataset);
    EXPECT_FALSE(info.contains("modelId"));
    const json tree = get_json(std::string("/api/datasets/") + k_dataset + "/tree/main/data?recursive=true");
    EXPECT_EQ(tree.size(), 4u);
    auto csv =
        request("GET", hub(HubTestServer::resolve_path(HubRepoType::dataset, k_dataset, "main", "data/train.csv")));
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body, "text,label\nhello,1\nworld,0\n");
    const std::string parquet =
        hub(HubTestServer::resolve_path(HubRepoType::dataset, k_dataset, "main", "data/train-00000-of-00001.parquet"));
    auto redirect = request("HEAD", parquet);
    ASSERT_TRUE(redirect);
    EXPECT_EQ(redirect.status, 302);
    auto blob = request("GET", redirect.get_header_value("Location"));
    ASSERT_TRUE(blob);
    EXPECT_TRUE(blob.body.starts_with("PAR1") && blob.body.ends_with("PAR1"));
    EXPECT_EQ("\"" + crypto::sha256_hex(blob.body) + "\"", redirect.get_header_value("X-Linked-Etag"));
}

TEST_F(HubTestServerTest, DropAfterCutsAFileOnceWhereverItIsServed)
{
    m_server.drop_after(HubRepoType::model, k_model, "tokenizer.json", 100);
    EXPECT_FALSE(request("GET", resolve("tokenizer.json")));
    auto again = request("GET", resolve("tokenizer.json", m_server.commit(HubRepoType::model, k_model)));
    ASSERT_TRUE(again);
    EXPECT_EQ(again.body, model_bytes("tokenizer.json"));

    m_server.drop_after(HubRepoType::model, k_model, "model.safetensors", 4096, 2);
    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    EXPECT_FALSE(request("GET", location));
    EXPECT_FALSE(request("GET", location, {{"Range", "bytes=4096-"}}));
    auto rest = request("GET", location, {{"Range", "bytes=4096-"}});
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest.status, 206);
    EXPECT_TRUE(rest.body == model_bytes("model.safetensors").substr(4096));
}

TEST_F(HubTestServerTest, WrongBytesKeepsTheLength)
{
    m_server.wrong_bytes(HubRepoType::model, k_model, "config.json", 1);
    m_server.wrong_bytes(HubRepoType::model, k_model, "model.safetensors", 1);
    const std::string config = model_bytes("config.json");
    auto bad = request("GET", resolve("config.json"));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad.body.size(), config.size());
    EXPECT_NE(bad.body, config);
    EXPECT_EQ(request("GET", resolve("config.json")).body, config);

    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    auto bad_weights = request("GET", location);
    ASSERT_TRUE(bad_weights);
    EXPECT_EQ(bad_weights.body.size(), model_bytes("model.safetensors").size());
    EXPECT_NE(crypto::sha256_hex(bad_weights.body), crypto::sha256_hex(model_bytes("model.safetensors")));
}

TEST_F(HubTestServerTest, IgnoreRangeAnswersWholeFile)
{
    m_server.ignore_range(HubRepoType::model, k_model, "model.safetensors", 1);
    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    auto whole = request("GET", location, {{"Range", "bytes=10-"}});
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole.status, 200);
    EXPECT_EQ(whole.body.size(), model_bytes("model.safetensors").size());
    auto part = request("GET", location, {{"Range", "bytes=10-"}});
    ASSERT_TRUE(part);
    EXPECT_EQ(part.status, 206);
}

TEST_F(HubTestServerTest, FailTimesAnswersStatusThenRecovers)
{
    const std::string path = std::string("/api/models/") + k_model + "/revision/main";
    m_server.fail_times(path, 2, 503, {{"Retry-After", "1"}});
    for (int i = 0; i < 2; ++i) {
        auto res = request("GET", hub(path));
        ASSERT_TRUE(res);
        EXPECT_EQ(res.status, 503);
        EXPECT_EQ(res.get_header_value("Retry-After"), "1");
    }
    EXPECT_EQ(request("GET", hub(path)).status, 200);
    EXPECT_EQ(m_server.hub().requests(path), 3);
}

TEST_F(HubTestServerTest, StorageHostNameCanBeSet)
{
    m_server.set_storage_host_name("127.0.0.1");
    const std::string location = request("HEAD", resolve("model.safetensors")).get_header_value("Location");
    EXPECT_TRUE(location.starts_with("http://127.0.0.1:" + std::to_string(m_server.storage().port()) + "/repos/"))
        << location;
    EXPECT_EQ(request("GET", location).status, 200);
}

class HubTestServerTlsTest : public TestDirFixture {};

TEST_F(HubTestServerTlsTest, ServesBothHostsOverHttps)
{
    const auto made =
        run_program("/usr/bin/openssl",
                    {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                     (dir() / "tls.key").string(), "-out", (dir() / "tls.pem").string(), "-days", "2", "-subj",
                     "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"},
                    dir());
    ASSERT_EQ(made.status, 0) << made.err;
    HubTestServer server(TlsFiles{dir() / "tls.pem", dir() / "tls.key"});
    server.add_repo(tiny_model_repo(k_model, 1));
    const std::string ca = (dir() / "tls.pem").string();
    EXPECT_TRUE(server.url().starts_with("https://127.0.0.1:"));
    const std::string file =
        server.url() + HubTestServer::resolve_path(HubRepoType::model, k_model, "main", "model.safetensors");
    auto redirect = request("HEAD", file, {}, ca);
    ASSERT_TRUE(redirect);
    EXPECT_EQ(redirect.status, 302);
    const std::string location = redirect.get_header_value("Location");
    EXPECT_TRUE(location.starts_with("https://localhost:")) << location;
    auto blob = request("GET", location, {}, ca);
    ASSERT_TRUE(blob);
    EXPECT_EQ(blob.status, 200);
    EXPECT_EQ("\"" + crypto::sha256_hex(blob.body) + "\"", redirect.get_header_value("X-Linked-Etag"));
}

}  // namespace
}  // namespace gapbundle::testing
