// install hf: an unpacked bundle's hub cache merged into a machine's, nothing there changed.

#include "trip_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

const std::string k_commit = "0123456789abcdef0123456789abcdef01234567";

class InstallHfTest : public TripTest {
protected:
    // DIR/hf/hub as the hf kind lays it out: one model, a small file and a nested one.
    stdfs::path unpacked_bundle()
    {
        const auto repo = dir() / "bundle" / "hf" / "hub" / "models--org--tiny";
        write_text(repo / "blobs" / "aaaa", "{\"model_type\": \"tiny\"}");
        write_text(repo / "blobs" / "bbbb", "tensor bytes");
        write_text(repo / "refs" / "main", k_commit);
        stdfs::create_directories(repo / "snapshots" / k_commit / "sub");
        stdfs::create_symlink("../../blobs/aaaa", repo / "snapshots" / k_commit / "config.json");
        stdfs::create_symlink("../../../blobs/bbbb", repo / "snapshots" / k_commit / "sub" / "model.safetensors");
        return dir() / "bundle";
    }

    RunResult install(const stdfs::path& bundle, const stdfs::path& cache)
    {
        return gapbundle({"--json", "install", "hf", bundle.string(), "--cache", cache.string()});
    }
};

TEST_F(InstallHfTest, MergesAndSecondRunChangesNothing)
{
    const auto bundle = unpacked_bundle();
    const auto cache = dir() / "cache-hub";
    // The cache already holds another repo and an older snapshot of this one.
    write_text(cache / "models--other--x" / "refs" / "main", "ffff");
    const std::string old_commit(40, 'e');
    stdfs::create_directories(cache / "models--org--tiny" / "snapshots" / old_commit);
    write_text(cache / "models--org--tiny" / "refs" / "main", old_commit);

    auto first = install(bundle, cache);
    ASSERT_EQ(first.status, 0) << first.err;
    auto report = json_of(first);
    EXPECT_EQ(report["blobs_copied"], 2);
    EXPECT_EQ(report["links_made"], 2);
    EXPECT_EQ(report["refs_written"], 1);
    const auto snapshot = cache / "models--org--tiny" / "snapshots" / k_commit;
    EXPECT_EQ(read_text(snapshot / "sub" / "model.safetensors"), "tensor bytes");
    EXPECT_EQ(stdfs::read_symlink(snapshot / "config.json"), "../../blobs/aaaa");
    EXPECT_EQ(read_text(cache / "models--org--tiny" / "refs" / "main"), k_commit);
    EXPECT_TRUE(stdfs::exists(cache / "models--org--tiny" / "snapshots" / old_commit));
    EXPECT_EQ(read_text(cache / "models--other--x" / "refs" / "main"), "ffff");

    auto second = install(bundle, cache);
    ASSERT_EQ(second.status, 0) << second.err;
    report = json_of(second);
    EXPECT_EQ(report["blobs_copied"], 0);
    EXPECT_EQ(report["blobs_present"], 2);
    EXPECT_EQ(report["links_made"], 0);
    EXPECT_EQ(report["links_present"], 2);
    EXPECT_EQ(report["refs_written"], 0);
    EXPECT_EQ(report["refs_present"], 1);
}

TEST_F(InstallHfTest, WhatDiffersInTheCacheIsLeftAndNamed)
{
    const auto bundle = unpacked_bundle();
    const auto cache = dir() / "cache-hub";
    write_text(cache / "models--org--tiny" / "blobs" / "bbbb", "other bytes, longer");
    auto refused = install(bundle, cache);
    EXPECT_EQ(refused.status, 4) << refused.err;
    EXPECT_NE(refused.err.find("models--org--tiny/blobs/bbbb: the cache holds a different blob"), std::string::npos)
        << refused.err;
    EXPECT_EQ(read_text(cache / "models--org--tiny" / "blobs" / "bbbb"), "other bytes, longer");

    auto not_a_bundle = install(dir() / "nothing", cache);
    EXPECT_EQ(not_a_bundle.status, 2) << not_a_bundle.err;
}

}  // namespace
}  // namespace gapbundle::testing
