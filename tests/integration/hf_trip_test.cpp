// The huggingface kind end to end: the real binary against a loopback Hub (with a second,
// storage host for LFS files), the bundle's hub cache checked against huggingface_hub's layout
// rules, written here from those rules and not from gapbundle's code.

#include "trip_fixture.hpp"

#include "support/cyclonedx_schema.hpp"
#include "support/hub_test_server.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

const std::string k_model = "gapbundle-test/tiny-model";
const std::string k_dataset = "gapbundle-test/tiny-dataset";
const std::string k_token = "hf_testtoken_0123456789";

// The ETag a file is cached under: sha256 for LFS files, the git blob id for the others.
std::string etag_of(const HubFile& file)
{
    return file.storage == HubStorage::lfs ? crypto::sha256_hex(file.bytes) : git_blob_sha1(file.bytes);
}

class HfTripTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        hub.add_repo(tiny_model_repo(k_model, 2));
        hub.add_repo(tiny_dataset_repo(k_dataset));
    }

    stdfs::path hf_manifest(const std::string& repos)
    {
        const auto path = dir() / "manifest.yaml";
        write_text(path, "apiVersion: gapbundle/v1\nname: hftrip\nhuggingface:\n  endpoint: " + hub.url() +
                             "\n  repos:\n" + repos);
        return path;
    }

    RunResult lock(const stdfs::path& manifest, std::vector<std::string> env = {})
    {
        env.push_back("HF_HOME=" + (dir() / "hf-home").string());  // no token file of this machine
        env.push_back("HF_TOKEN=");
        return gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()}, env);
    }

    RunResult pack(const stdfs::path& manifest, const stdfs::path& bundle, std::vector<std::string> env = {},
                   const std::vector<std::string>& extra = {})
    {
        env.push_back("HF_HOME=" + (dir() / "hf-home").string());
        std::vector<std::string> args{"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(),
                                      "--cache-dir", cache().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args, env);
    }

    stdfs::path unpack(const stdfs::path& bundle)
    {
        const auto out = dir() / "out";
        auto unpacked = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", out.string()});
        EXPECT_EQ(unpacked.status, 0) << unpacked.err;
        return out;
    }

    // Every kept file of `repo` is in the cache as huggingface_hub lays it out.
    void expect_cached(const stdfs::path& hub_cache, const std::string& folder, const std::string& commit,
                       const std::vector<HubFile>& files)
    {
        const auto repo = hub_cache / folder;
        for (const auto& file : files) {
            SCOPED_TRACE(file.path);
            const auto blob = repo / "blobs" / etag_of(file);
            ASSERT_TRUE(stdfs::is_regular_file(stdfs::symlink_status(blob)));
            EXPECT_EQ(read_text(blob), file.bytes);
            const auto link = repo / "snapshots" / commit / file.path;
            ASSERT_TRUE(stdfs::is_symlink(link));
            std::string up = "../../";
            for (char c : file.path)
                if (c == '/') up += "../";
            EXPECT_EQ(stdfs::read_symlink(link).string(), up + "blobs/" + etag_of(file));
            EXPECT_EQ(read_text(link), file.bytes);
        }
    }

    void expect_storage_saw_no_token()
    {
        for (const auto& request : hub.storage().all_requests())
            EXPECT_FALSE(request.header("Authorization")) << request.path;
    }

    HubTestServer hub;
};

TEST_F(HfTripTest, PackUnpackGivesTheHubCacheLayout)
{
    const auto manifest = hf_manifest("    - repo: " + k_model +
                                      "\n      allow: [\"*.json\", \"*.safetensors\", \"tokenizer*\"]\n"
                                      "      ignore: [\"original/*\"]\n"
                                      "    - { repo: " + k_dataset + ", type: dataset }\n");
    const auto bundle = dir() / "b.tar";
    auto packed = pack(manifest, bundle);
    ASSERT_EQ(packed.status, 0) << packed.err;
    const auto out = unpack(bundle);
    const auto cache_root = out / "hf" / "hub";

    const auto model = tiny_model_repo(k_model, 2);
    std::vector<HubFile> kept;
    for (const auto& file : model.commits.front().files) {
        const bool allowed = file.path.ends_with(".json") || file.path.ends_with(".safetensors") ||
                             file.path.starts_with("tokenizer");
        if (allowed && !file.path.starts_with("original/")) kept.push_back(file);
    }
    ASSERT_EQ(kept.size(), 6u);  // config, generation_config, tokenizer, tokenizer_config, special_tokens_map, model
    const std::string model_commit = hub.commit(HubRepoType::model, k_model);
    expect_cached(cache_root, "models--gapbundle-test--tiny-model", model_commit, kept);
    EXPECT_FALSE(stdfs::exists(cache_root / "models--gapbundle-test--tiny-model" / "snapshots" / model_commit / "README.md"));
    EXPECT_FALSE(stdfs::exists(cache_root / "models--gapbundle-test--tiny-model" / "snapshots" / model_commit / "original"));
    EXPECT_EQ(read_text(cache_root / "models--gapbundle-test--tiny-model" / "refs" / "main"), model_commit);

    // trees/<commit>.json (huggingface_hub's tree cache) lists exactly the carried files, so an
    // offline snapshot_download finds the snapshot complete.
    const auto tree = nlohmann::json::parse(
        read_text(cache_root / "models--gapbundle-test--tiny-model" / "trees" / (model_commit + ".json")));
    EXPECT_EQ(tree.at("format_version"), 1);
    ASSERT_EQ(tree.at("files").size(), kept.size());
    for (const auto& file : kept) {
        SCOPED_TRACE(file.path);
        const auto& entry = tree.at("files").at(file.path);
        EXPECT_EQ(entry.at("size"), file.bytes.size());
        if (file.storage == HubStorage::lfs) {
            EXPECT_EQ(entry.at("blob_id"), git_blob_sha1(lfs_pointer(file.bytes)));
            EXPECT_EQ(entry.at("lfs_sha256"), crypto::sha256_hex(file.bytes));
        } else {
            EXPECT_EQ(entry.at("blob_id"), git_blob_sha1(file.bytes));
            EXPECT_FALSE(entry.contains("lfs_sha256"));
        }
    }

    const auto dataset = tiny_dataset_repo(k_dataset);
    const std::string dataset_commit = hub.commit(HubRepoType::dataset, k_dataset);
    expect_cached(cache_root, "datasets--gapbundle-test--tiny-dataset", dataset_commit, dataset.commits.front().files);
    EXPECT_EQ(read_text(cache_root / "datasets--gapbundle-test--tiny-dataset" / "refs" / "main"), dataset_commit);

    // The resolution, for audits: each repo at its commit.
    const auto index = nlohmann::json::parse(read_text(out / "gapbundle" / "index.json"));
    std::map<std::string, std::string> versions;
    for (const auto& component : index.at("components")) versions[component.at("name")] = component.at("version");
    EXPECT_EQ(versions["models/" + k_model], model_commit);
    EXPECT_EQ(versions["datasets/" + k_dataset], dataset_commit);

    // The SBOM names the model as pkg:huggingface at its commit, each carried file hashed.
    const auto sbom_path = out / "gapbundle" / "sbom.cdx.json";
    const auto checked = validate_cyclonedx(sbom_path, dir());
    EXPECT_EQ(checked.status, 0) << checked.err;
    const auto sbom = nlohmann::json::parse(read_text(sbom_path));
    std::map<std::string, nlohmann::json> listed;
    for (const auto& item : sbom.at("components")) listed[item.at("name")] = item;
    const auto& model_item = listed["models/" + k_model];
    EXPECT_EQ(model_item["type"], "machine-learning-model");
    EXPECT_EQ(model_item["purl"], "pkg:huggingface/" + k_model + "@" + model_commit);
    std::set<std::string> hashed;
    for (const auto& file : model_item["components"]) hashed.insert(file.at("hashes")[0].at("content").get<std::string>());
    EXPECT_EQ(hashed.size(), kept.size());
    for (const auto& file : kept) EXPECT_TRUE(hashed.contains(crypto::sha256_hex(file.bytes))) << file.path;
    EXPECT_EQ(listed["datasets/" + k_dataset]["type"], "data");

    // Large files came from the storage host, by range where a drop needed it, never with a token.
    EXPECT_FALSE(hub.storage().all_requests().empty());
    expect_storage_saw_no_token();

    // install hf merges it into a machine's cache.
    const auto machine_cache = dir() / "machine-cache";
    auto installed = gapbundle({"install", "hf", out.string(), "--cache", machine_cache.string()});
    ASSERT_EQ(installed.status, 0) << installed.err;
    expect_cached(machine_cache, "models--gapbundle-test--tiny-model", model_commit, kept);
}

TEST_F(HfTripTest, TheLockPinsTheCommitWhenMainMoves)
{
    const auto manifest = hf_manifest("    - { repo: " + k_dataset + ", type: dataset }\n");
    auto locked = lock(manifest);
    ASSERT_EQ(locked.status, 0) << locked.err;
    const std::string old_commit = hub.commit(HubRepoType::dataset, k_dataset);
    // main moves to a new commit; the old one stays reachable by its sha, as on the Hub.
    auto moved = tiny_dataset_repo(k_dataset);
    HubCommit next = moved.commits.front();
    next.sha.clear();
    next.branches = {"main"};
    next.files.emplace_back("data/extra.csv", "a,b\n1,2\n");
    moved.commits.front().branches.clear();
    moved.commits.push_back(next);
    hub.add_repo(moved);
    ASSERT_NE(hub.commit(HubRepoType::dataset, k_dataset), old_commit);

    const auto bundle = dir() / "b.tar";
    auto packed = pack(manifest, bundle, {}, {"--lock", (dir() / "gapbundle.lock.json").string()});
    ASSERT_EQ(packed.status, 0) << packed.err;
    const auto out = unpack(bundle);
    EXPECT_TRUE(stdfs::exists(out / "hf" / "hub" / "datasets--gapbundle-test--tiny-dataset" / "snapshots" / old_commit));
    EXPECT_FALSE(stdfs::exists(out / "hf" / "hub" / "datasets--gapbundle-test--tiny-dataset" / "snapshots" / old_commit /
                               "data" / "extra.csv"));
}

TEST_F(HfTripTest, ARepoListedTwiceIsOneComponent)
{
    const auto manifest = hf_manifest("    - { repo: " + k_model + ", allow: [\"config.json\"] }\n"
                                      "    - { repo: " + k_model + ", allow: [\"tokenizer*\"] }\n");
    const auto bundle = dir() / "b.tar";
    auto packed = pack(manifest, bundle);
    ASSERT_EQ(packed.status, 0) << packed.err;
    auto verified = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << verified.err;
    const auto out = unpack(bundle);
    const auto index = nlohmann::json::parse(read_text(out / "gapbundle" / "index.json"));
    ASSERT_EQ(index.at("components").size(), 1u);
    EXPECT_EQ(index.at("components")[0].at("paths").size(), 3u);  // config.json, tokenizer.json, tokenizer_config.json
    const std::string commit = hub.commit(HubRepoType::model, k_model);
    const auto tree = nlohmann::json::parse(
        read_text(out / "hf" / "hub" / "models--gapbundle-test--tiny-model" / "trees" / (commit + ".json")));
    EXPECT_EQ(tree.at("files").size(), 3u);
}

TEST_F(HfTripTest, GatedRepoNeedsAToken)
{
    auto gated = tiny_model_repo("gapbundle-test/gated-model", 1);
    gated.access = HubAccess::gated;
    hub.add_repo(gated);
    hub.set_token(k_token);
    const auto manifest = hf_manifest("    - gapbundle-test/gated-model\n");
    auto refused = lock(manifest);
    EXPECT_EQ(refused.status, 3) << refused.err;
    EXPECT_NE(refused.err.find("gapbundle-test/gated-model"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("gated"), std::string::npos) << refused.err;

    const auto bundle = dir() / "b.tar";
    auto packed = pack(manifest, bundle, {"HF_TOKEN=" + k_token});
    ASSERT_EQ(packed.status, 0) << packed.err;
    expect_storage_saw_no_token();
    for (const auto& text : {packed.out + packed.err, read_text(bundle)}) EXPECT_EQ(text.find(k_token), std::string::npos);

    // The token file huggingface_hub writes works too.
    write_text(dir() / "hf-home" / "token", k_token + "\n");
    auto from_file = lock(manifest);
    EXPECT_EQ(from_file.status, 0) << from_file.err;
    EXPECT_EQ(read_text(dir() / "gapbundle.lock.json").find(k_token), std::string::npos);
}

TEST_F(HfTripTest, BadInputsNameTheRepo)
{
    auto unknown = lock(hf_manifest("    - gapbundle-test/no-such-model\n"));
    EXPECT_EQ(unknown.status, 3) << unknown.err;
    EXPECT_NE(unknown.err.find("gapbundle-test/no-such-model"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("not found"), std::string::npos) << unknown.err;

    auto revision = lock(hf_manifest("    - { repo: " + k_model + ", revision: v9.9 }\n"));
    EXPECT_EQ(revision.status, 3) << revision.err;
    EXPECT_NE(revision.err.find("v9.9"), std::string::npos) << revision.err;

    auto nothing = lock(hf_manifest("    - { repo: " + k_model + ", allow: [\"*.gguf\"] }\n"));
    EXPECT_EQ(nothing.status, 3) << nothing.err;
    EXPECT_NE(nothing.err.find("allow pattern '*.gguf' matches no file"), std::string::npos) << nothing.err;

    auto bad_id = lock(hf_manifest("    - bad--name/x\n"));
    EXPECT_EQ(bad_id.status, 2) << bad_id.err;
    EXPECT_NE(bad_id.err.find("manifest.yaml:6:7: huggingface: repos[0]"), std::string::npos) << bad_id.err;
    EXPECT_FALSE(stdfs::exists(dir() / "gapbundle.lock.json"));
}

TEST_F(HfTripTest, BytesThatDifferFromTheHubAreRefused)
{
    hub.wrong_bytes(HubRepoType::model, k_model, "model.safetensors");
    const auto bundle = dir() / "b.tar";
    auto lfs = pack(hf_manifest("    - { repo: " + k_model + ", allow: [\"*.safetensors\"] }\n"), bundle);
    EXPECT_EQ(lfs.status, 3) << lfs.err;
    EXPECT_NE(lfs.err.find("sha256"), std::string::npos) << lfs.err;
    EXPECT_FALSE(stdfs::exists(bundle));

    hub.wrong_bytes(HubRepoType::model, k_model, "config.json");
    auto git = lock(hf_manifest("    - { repo: " + k_model + ", allow: [\"config.json\"] }\n"));
    EXPECT_EQ(git.status, 3) << git.err;
    EXPECT_NE(git.err.find("config.json: git blob id mismatch"), std::string::npos) << git.err;
}

TEST_F(HfTripTest, ADroppedDownloadIsResumed)
{
    hub.drop_after(HubRepoType::model, k_model, "model.safetensors", 300000);
    const auto bundle = dir() / "b.tar";
    auto packed = pack(hf_manifest("    - { repo: " + k_model + ", allow: [\"*.safetensors\"] }\n"), bundle);
    ASSERT_EQ(packed.status, 0) << packed.err;
    bool ranged = false;
    for (const auto& request : hub.storage().all_requests()) ranged = ranged || request.header("Range").has_value();
    EXPECT_TRUE(ranged) << "the second request resumes with Range";
}

TEST_F(HfTripTest, ABigFileComesInParallelRangesFromTheStorageHost)
{
    const std::string big_model = "gapbundle-test/big-model";
    HubRepo repo = tiny_model_repo(big_model, 65);  // above the 64 MiB where ranges start
    hub.add_repo(repo);
    const std::string file = "model.safetensors";
    hub.drop_after(HubRepoType::model, big_model, file, 1 << 20, 2);
    const auto bundle = dir() / "b.tar";
    auto packed = pack(hf_manifest("    - { repo: " + big_model + ", allow: [\"*.safetensors\"] }\n"), bundle, {},
                       {"--range-mib", "8"});
    ASSERT_EQ(packed.status, 0) << packed.err;

    // Nine ranges of 8 MiB (the last one shorter), two of them resumed after a drop, each through
    // the Hub's redirect, none with the token's header on the storage host.
    const auto storage = hub.storage().requests_to(hub.storage_path(HubRepoType::model, big_model, file));
    std::set<std::string> ranges;
    int resumed = 0;
    for (const auto& request : storage) {
        const std::string range = request.header("Range").value_or("");
        ASSERT_TRUE(range.starts_with("bytes=")) << "every request asks for a range";
        const auto start = std::stoull(range.substr(6));
        if (start % (8 << 20) == 0) ranges.insert(range);
        else ++resumed;
    }
    EXPECT_EQ(ranges.size(), 9u);
    EXPECT_EQ(resumed, 2);
    expect_storage_saw_no_token();

    const auto out = unpack(bundle);
    const HubFile* weights = nullptr;
    for (const auto& f : repo.commits.back().files)
        if (f.path == file) weights = &f;
    ASSERT_NE(weights, nullptr);
    const auto blob = out / "hf/hub/models--gapbundle-test--big-model/blobs" / etag_of(*weights);
    auto digest = crypto::sha256_file(blob);
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(digest->sha256, crypto::sha256_hex(weights->bytes));
}

TEST_F(HfTripTest, AStorageHostThatIgnoresRangeGetsWholeRequests)
{
    const std::string big_model = "gapbundle-test/big-model";
    hub.add_repo(tiny_model_repo(big_model, 65));
    hub.ignore_range(HubRepoType::model, big_model, "model.safetensors");
    const auto bundle = dir() / "b.tar";
    auto packed = pack(hf_manifest("    - { repo: " + big_model + ", allow: [\"*.safetensors\"] }\n"), bundle);
    ASSERT_EQ(packed.status, 0) << packed.err;
    const auto storage = hub.storage().requests_to(hub.storage_path(HubRepoType::model, big_model, "model.safetensors"));
    ASSERT_FALSE(storage.empty());
    EXPECT_FALSE(storage.back().header("Range")) << "the last request asks for the whole file";
    unpack(bundle);
}

}  // namespace
}  // namespace gapbundle::testing
