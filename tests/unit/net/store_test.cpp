#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/store/store.hpp>

#include <gmock/gmock.h>

#include <cstdlib>
#include <set>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using ::testing::HasSubstr;

class StoreTest : public TestDirFixture {};

TEST_F(StoreTest, OpensAndCreatesFolders)
{
    auto store = store::Store::open(dir() / "cache");
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_TRUE(stdfs::is_directory(dir() / "cache" / "blobs" / "sha256"));
    EXPECT_TRUE(stdfs::is_directory(dir() / "cache" / "tmp"));
    EXPECT_EQ(store->root(), dir() / "cache");
}

TEST_F(StoreTest, AdoptsBlob)
{
    auto store = store::Store::open(dir() / "cache");
    ASSERT_TRUE(store);
    const std::string sha = crypto::sha256_hex("hello");
    EXPECT_FALSE(store->contains(sha));
    const stdfs::path temp = store->temp_path("hello.txt");
    EXPECT_EQ(temp.parent_path(), dir() / "cache" / "tmp");
    write_text(temp, "hello");
    auto adopted = store->adopt(temp, sha);
    ASSERT_TRUE(adopted) << adopted.error().message;
    EXPECT_TRUE(store->contains(sha));
    EXPECT_EQ(store->blob_path(sha), dir() / "cache" / "blobs" / "sha256" / sha);
    EXPECT_EQ(read_text(store->blob_path(sha)), "hello");
    EXPECT_FALSE(stdfs::exists(temp));
}

TEST_F(StoreTest, RefusesInvalidHex)
{
    auto store = store::Store::open(dir() / "cache");
    ASSERT_TRUE(store);
    const stdfs::path temp = store->temp_path("x");
    write_text(temp, "x");
    for (std::string bad : {std::string("abc"), std::string(64, 'G'), std::string(64, 'A'), std::string("../") + std::string(61, 'a')}) {
        auto adopted = store->adopt(temp, bad);
        ASSERT_FALSE(adopted) << bad;
        EXPECT_THAT(adopted.error().message, HasSubstr("not a sha256"));
        EXPECT_FALSE(store->contains(bad));
    }
    EXPECT_TRUE(stdfs::exists(temp));
}

TEST_F(StoreTest, FailsOnUnwritablePath)
{
    write_text(dir() / "a-file", "not a folder");
    auto store = store::Store::open(dir() / "a-file" / "cache");
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, ErrorCode::io);
    EXPECT_THAT(store.error().message, HasSubstr((dir() / "a-file" / "cache").string()));
}

TEST_F(StoreTest, ReportsMissingTempFile)
{
    auto store = store::Store::open(dir() / "cache");
    ASSERT_TRUE(store);
    auto adopted = store->adopt(dir() / "cache" / "tmp" / "gone", crypto::sha256_hex("x"));
    ASSERT_FALSE(adopted);
    EXPECT_EQ(adopted.error().code, ErrorCode::io);
    EXPECT_THAT(adopted.error().message, HasSubstr("gone"));
}

TEST_F(StoreTest, MakesUniqueTempPaths)
{
    auto store = store::Store::open(dir() / "cache");
    ASSERT_TRUE(store);
    std::set<stdfs::path> seen;
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(store->temp_path("same/hint")).second);
    EXPECT_EQ(seen.begin()->filename().string().find('/'), std::string::npos);
}

TEST_F(StoreTest, FindsDefaultCacheDir)
{
    const char* old_xdg = std::getenv("XDG_CACHE_HOME");
    const std::string saved = old_xdg ? old_xdg : "";
    setenv("XDG_CACHE_HOME", "/somewhere/cache", 1);
    EXPECT_EQ(store::default_cache_dir(), stdfs::path("/somewhere/cache/gapbundle"));
    unsetenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    if (home) {
        EXPECT_EQ(store::default_cache_dir(), stdfs::path(home) / ".cache" / "gapbundle");
    }
    if (old_xdg) setenv("XDG_CACHE_HOME", saved.c_str(), 1);
}

}  // namespace
}  // namespace gapbundle::testing
