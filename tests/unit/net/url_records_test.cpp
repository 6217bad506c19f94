#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/store/url_records.hpp>

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class UrlRecordsTest : public TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        store.emplace(store::Store::open(dir() / "cache").value());
        sha = crypto::sha256_hex("body");
        const auto temp = store->temp_path("body");
        write_text(temp, "body");
        ASSERT_TRUE(store->adopt(temp, sha));
    }
    std::optional<store::Store> store;
    std::string sha;
    const std::string url = "https://example.org/a/model.bin";
};

TEST_F(UrlRecordsTest, RoundTripsValidators)
{
    ASSERT_TRUE(store::save_url_record(*store, {url, sha, 4, "\"abc\"", "Sun, 29 Nov 2026 08:00:00 GMT"}));
    auto found = store::find_url_record(*store, url);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->sha256, sha);
    EXPECT_EQ(found->size, 4u);
    EXPECT_EQ(found->etag, "\"abc\"");
    EXPECT_EQ(found->last_modified, "Sun, 29 Nov 2026 08:00:00 GMT");
    EXPECT_FALSE(store::find_url_record(*store, url + "?other"));
}

TEST_F(UrlRecordsTest, ForgetsARecordWhoseBlobIsGone)
{
    ASSERT_TRUE(store::save_url_record(*store, {url, sha, 4, "\"abc\"", ""}));
    stdfs::remove(store->blob_path(sha));
    EXPECT_FALSE(store::find_url_record(*store, url));
}

TEST_F(UrlRecordsTest, IgnoresRecordsWithoutValidatorsOrDamaged)
{
    ASSERT_TRUE(store::save_url_record(*store, {url, sha, 4, "", ""}));
    EXPECT_FALSE(store::find_url_record(*store, url));
    ASSERT_TRUE(store::save_url_record(*store, {url, sha, 4, "\"abc\"", ""}));
    const auto path = dir() / "cache/urls" / crypto::sha256_hex(url);
    write_text(path, url + "\nnot-a-sha\n4\n\"abc\"\n\n");
    EXPECT_FALSE(store::find_url_record(*store, url));
}

TEST_F(UrlRecordsTest, RefusesValuesThatSpanLines)
{
    EXPECT_FALSE(store::save_url_record(*store, {url, sha, 4, "\"a\nb\"", ""}));
    EXPECT_FALSE(store::save_url_record(*store, {url, "xyz", 4, "\"a\"", ""}));
}

}  // namespace
}  // namespace gapbundle::testing
