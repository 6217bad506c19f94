#include <gapbundle/sources/hf/cache_layout.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace gapbundle::sources::hf {
namespace {

namespace stdfs = std::filesystem;

const std::string k_commit = "0123456789abcdef0123456789abcdef01234567";
const std::string k_sha1 = "d7edf6bd2a681fb0175f7735299831ee1b22b812";
const std::string k_sha256 = "403450e234d65943a7dcf7e05a771ce3c92faa84dd07db4ac20f592037a1e4bd";
const RepoId k_model{.type = RepoType::model, .id = "org/name"};

TEST(CacheEtagTest, UsesTheLfsSha256ElseTheGitBlobId)
{
    EXPECT_EQ(cache_etag(RepoFile{.path = "a", .size = 1, .git_blob_id = k_sha1, .lfs_sha256 = std::nullopt}), k_sha1);
    EXPECT_EQ(cache_etag(RepoFile{.path = "a", .size = 1, .git_blob_id = k_sha1, .lfs_sha256 = k_sha256}), k_sha256);
    const auto files =
        cache_files({RepoFile{.path = "m.bin", .size = 9, .git_blob_id = k_sha1, .lfs_sha256 = k_sha256}});
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].path, "m.bin");
    EXPECT_EQ(files[0].etag, k_sha256);
    EXPECT_EQ(files[0].size, 9u);
}

TEST(CacheLayoutTest, LaysOutBlobsSnapshotsAndRef)
{
    const std::vector<CacheFile> files = {{.path = "config.json", .etag = k_sha1, .size = 665},
                                          {.path = "model.safetensors", .etag = k_sha256, .size = 548105171}};
    auto layout = cache_layout(k_model, "main", k_commit, files);
    ASSERT_TRUE(layout) << layout.error().message;
    EXPECT_EQ(layout->repo_folder, "models--org--name");
    ASSERT_EQ(layout->blobs.size(), 2u);
    EXPECT_EQ(layout->blobs[0].path, "models--org--name/blobs/" + k_sha1);
    EXPECT_EQ(layout->blobs[0].size, 665u);
    EXPECT_EQ(layout->blobs[1].path, "models--org--name/blobs/" + k_sha256);
    ASSERT_EQ(layout->links.size(), 2u);
    EXPECT_EQ(layout->links[0].path, "models--org--name/snapshots/" + k_commit + "/config.json");
    EXPECT_EQ(layout->links[0].target, "../../blobs/" + k_sha1);
    EXPECT_EQ(layout->links[1].target, "../../blobs/" + k_sha256);
    ASSERT_TRUE(layout->ref);
    EXPECT_EQ(layout->ref->path, "models--org--name/refs/main");
    EXPECT_EQ(layout->ref->content, k_commit);  // no newline: readers do f.read() without strip
}

TEST(CacheLayoutTest, NestedPathsClimbOneMoreLevelPerFolder)
{
    // os.path.relpath from the link's folder, as _create_symlink computes it.
    const std::vector<CacheFile> files = {{.path = "onnx/model.onnx", .etag = k_sha256, .size = 1},
                                          {.path = "a/b/c/d.bin", .etag = k_sha1, .size = 2}};
    auto layout = cache_layout(k_model, k_commit, k_commit, files);
    ASSERT_TRUE(layout) << layout.error().message;
    EXPECT_EQ(layout->links[0].target, "../../../blobs/" + k_sha256);
    EXPECT_EQ(layout->links[1].target, "../../../../../blobs/" + k_sha1);
}

TEST(CacheLayoutTest, WritesNoRefForACommitRevision)
{
    auto layout = cache_layout(k_model, k_commit, k_commit, {});
    ASSERT_TRUE(layout);
    EXPECT_FALSE(layout->ref);
    EXPECT_TRUE(layout->blobs.empty());
}

TEST(CacheLayoutTest, NestsRefsOfRevisionsWithSlashes)
{
    auto layout = cache_layout(k_model, "refs/pr/1", k_commit, {});
    ASSERT_TRUE(layout);
    ASSERT_TRUE(layout->ref);
    EXPECT_EQ(layout->ref->path, "models--org--name/refs/refs/pr/1");
}

TEST(CacheLayoutTest, WritesRefsForShortCommitIds)
{
    // Not a full commit id, so huggingface_hub caches it as a ref like a branch.
    auto layout = cache_layout(k_model, "0123456", k_commit, {});
    ASSERT_TRUE(layout);
    ASSERT_TRUE(layout->ref);
    EXPECT_EQ(layout->ref->path, "models--org--name/refs/0123456");
}

TEST(CacheLayoutTest, UsesTheDatasetFolder)
{
    auto layout = cache_layout(RepoId{.type = RepoType::dataset, .id = "org/data"}, "v1", k_commit,
                               std::vector<CacheFile>{{.path = "train/part-0.parquet", .etag = k_sha256, .size = 3}});
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->links[0].path, "datasets--org--data/snapshots/" + k_commit + "/train/part-0.parquet");
    EXPECT_EQ(layout->ref->path, "datasets--org--data/refs/v1");
}

TEST(CacheLayoutTest, SharesOneBlobBetweenIdenticalFiles)
{
    const std::vector<CacheFile> files = {{.path = "a.txt", .etag = k_sha1, .size = 5},
                                          {.path = "copy/a.txt", .etag = k_sha1, .size = 5}};
    auto layout = cache_layout(k_model, "main", k_commit, files);
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->blobs.size(), 1u);
    EXPECT_EQ(layout->links.size(), 2u);
}

TEST(CacheLayoutTest, RefusesInconsistentInput)
{
    const auto error = [](std::string_view revision, std::string_view commit, std::vector<CacheFile> files) {
        auto layout = cache_layout(k_model, revision, commit, files);
        EXPECT_FALSE(layout);
        return layout ? std::string() : layout.error().message;
    };
    EXPECT_EQ(error("main", "abc", {}), "repo 'org/name': cache layout: commit 'abc' is not 40 lowercase hex digits");
    EXPECT_EQ(error(std::string(40, 'f'), k_commit, {}), "repo 'org/name': cache layout: revision '" +
                                                             std::string(40, 'f') +
                                                             "' is a commit id, yet resolved to " + k_commit);
    EXPECT_EQ(error("main", k_commit, {{.path = "../x", .etag = k_sha1, .size = 1}}),
              "repo 'org/name': cache layout: unsafe path '../x': '.' or '..' component");
    EXPECT_EQ(error("main", k_commit, {{.path = "a", .etag = "ABC", .size = 1}}),
              "repo 'org/name': cache layout: 'a': etag 'ABC' is neither a git blob id nor a sha256");
    EXPECT_EQ(
        error("main", k_commit, {{.path = "a", .etag = k_sha1, .size = 1}, {.path = "a", .etag = k_sha1, .size = 1}}),
        "repo 'org/name': cache layout: 'a' is listed twice");
    EXPECT_EQ(
        error("main", k_commit, {{.path = "a", .etag = k_sha1, .size = 1}, {.path = "b", .etag = k_sha1, .size = 2}}),
        "repo 'org/name': cache layout: 'b': blob " + k_sha1 + " has sizes 1 and 2");
    auto bad_revision = cache_layout(k_model, "a..b", k_commit, {});
    ASSERT_FALSE(bad_revision);
    EXPECT_EQ(bad_revision.error().code, ErrorCode::manifest);
}

class CacheLayoutDiskTest : public gapbundle::testing::TestDirFixture {};

TEST_F(CacheLayoutDiskTest, LinksResolveToTheirBlobsOnDisk)
{
    const std::vector<CacheFile> files = {{.path = "config.json", .etag = k_sha1, .size = 2},
                                          {.path = "onnx/model.onnx", .etag = k_sha256, .size = 3},
                                          {.path = "a/b/c/d.bin", .etag = k_sha256, .size = 3}};
    auto layout = cache_layout(k_model, "refs/pr/1", k_commit, files);
    ASSERT_TRUE(layout) << layout.error().message;
    for (const auto& blob : layout->blobs) gapbundle::testing::write_text(dir() / blob.path, blob.etag);
    for (const auto& link : layout->links) {
        stdfs::create_directories((dir() / link.path).parent_path());
        stdfs::create_symlink(link.target, dir() / link.path);
    }
    for (const auto& link : layout->links) {
        const auto resolved = stdfs::canonical(dir() / link.path);
        EXPECT_EQ(resolved, stdfs::canonical(dir() / layout->repo_folder / "blobs" / link.etag)) << link.path;
        EXPECT_EQ(gapbundle::testing::read_text(dir() / link.path), link.etag);
    }
    gapbundle::testing::write_text(dir() / layout->ref->path, layout->ref->content);
    EXPECT_EQ(gapbundle::testing::read_text(dir() / "models--org--name/refs/refs/pr/1"), k_commit);
}

}  // namespace
}  // namespace gapbundle::sources::hf
