#include <gapbundle/sources/conda/channel_client.hpp>

#include "../../support/http_test_server.hpp"
#include "../../support/test_dir.hpp"

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/store/url_records.hpp>

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>
#include <vector>

namespace gapbundle::sources::conda {
namespace {

using testing::HttpTestServer;

const std::string k_repodata = R"({
  "info": {"subdir": "linux-64"},
  "packages": {},
  "packages.conda": {
    "zlib-1.3.1-hb9d3cd8_2.conda": {"name": "zlib", "version": "1.3.1", "build": "hb9d3cd8_2",
      "build_number": 2, "depends": ["libzlib 1.3.1 hb9d3cd8_2"], "subdir": "linux-64",
      "timestamp": 1727963183, "sha256": "aa", "md5": "bb", "size": 92286},
    "libzlib-1.3.1-hb9d3cd8_2.conda": {"name": "libzlib", "version": "1.3.1", "build": "hb9d3cd8_2",
      "build_number": 2, "depends": ["__glibc >=2.17,<3.0.a0", "libgcc >=13"], "constrains": ["zlib 1.3.1 *_2"],
      "subdir": "linux-64", "timestamp": 1727963148000, "sha256": "cc", "md5": "dd", "size": 60963}
  }
})";

const std::string k_newer = R"({
  "info": {"subdir": "linux-64"},
  "packages.conda": {
    "zlib-1.3.2-h0_0.conda": {"name": "zlib", "version": "1.3.2", "build": "h0_0", "build_number": 0,
      "depends": [], "subdir": "linux-64", "timestamp": 1, "sha256": "ee", "md5": "ff", "size": 1}
  }
})";

std::string zstd_compress(const std::string& plain)
{
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3);
    EXPECT_FALSE(ZSTD_isError(n));
    out.resize(ZSTD_isError(n) ? 0 : n);
    return out;
}

std::vector<std::string> filenames(const Repodata& repodata)
{
    std::vector<std::string> out;
    for (const auto& record : repodata.records) out.push_back(record.filename + " " + record.name + " " + record.build);
    return out;
}

class ChannelClientTest : public testing::TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        auto opened = store::Store::open(dir() / "store");
        ASSERT_TRUE(opened) << opened.error().message;
        m_store.emplace(std::move(*opened));
    }

    ChannelFetch request(const std::string& subdir = "linux-64")
    {
        ChannelFetch fetch;
        fetch.channel = channel_url(server.url("/chan/"));
        fetch.subdir = subdir;
        fetch.store = &*m_store;
        fetch.options.max_attempts = 1;
        fetch.options.use_netrc = false;
        return fetch;
    }

    Result<Repodata> fetch(const std::string& subdir = "linux-64") { return fetch_repodata(request(subdir)); }

    Repodata plain_parsed()
    {
        auto parsed = parse_repodata(k_repodata, request().channel);
        EXPECT_TRUE(parsed) << parsed.error().message;
        return parsed ? *parsed : Repodata{};
    }

    net::CurlGlobal m_curl;
    HttpTestServer server;
    std::optional<store::Store> m_store;
};

TEST_F(ChannelClientTest, ZstMatchesPlainJson)
{
    server.serve_bytes("/chan/linux-64/repodata.json.zst", zstd_compress(k_repodata));
    auto repodata = fetch();
    ASSERT_TRUE(repodata) << repodata.error().message;
    EXPECT_EQ(filenames(*repodata), filenames(plain_parsed()));
    ASSERT_EQ(repodata->records.size(), 2u);
    EXPECT_EQ(repodata->records[0].depends, plain_parsed().records[0].depends);
    EXPECT_EQ(repodata->records[0].channel, request().channel);
    EXPECT_EQ(server.requests("/chan/linux-64/repodata.json"), 0);
}

TEST_F(ChannelClientTest, FallsBackToJsonWithoutZst)
{
    server.serve_bytes("/chan/linux-64/repodata.json", k_repodata, "application/json");
    auto repodata = fetch();
    ASSERT_TRUE(repodata) << repodata.error().message;
    EXPECT_EQ(filenames(*repodata), filenames(plain_parsed()));
    EXPECT_EQ(server.requests("/chan/linux-64/repodata.json.zst"), 1);
    EXPECT_EQ(server.requests("/chan/linux-64/repodata.json"), 1);
}

TEST_F(ChannelClientTest, RemembersAJsonOnlyChannel)
{
    server.serve_bytes("/chan/linux-64/repodata.json", k_repodata, "application/json");
    ASSERT_TRUE(fetch());
    server.clear_log();
    auto again = fetch();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(server.requests("/chan/linux-64/repodata.json.zst"), 0);
    EXPECT_EQ(server.requests("/chan/linux-64/repodata.json"), 1);
}

TEST_F(ChannelClientTest, SecondFetchIsConditionalAndReusesTheCache)
{
    server.serve_bytes("/chan/linux-64/repodata.json.zst", zstd_compress(k_repodata));
    auto first = fetch();
    ASSERT_TRUE(first) << first.error().message;
    server.clear_log();

    auto second = fetch();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(filenames(*second), filenames(*first));
    const auto sent = server.requests_to("/chan/linux-64/repodata.json.zst");
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].header("If-None-Match").has_value());
    EXPECT_EQ(server.all_requests().size(), 1u);  // a 304: nothing else asked, no body re-sent
    auto record = store::find_url_record(*m_store, request().channel + "/linux-64/repodata.json.zst");
    ASSERT_TRUE(record);
    EXPECT_EQ(sent[0].header("If-None-Match"), record->etag);
}

TEST_F(ChannelClientTest, ChangedRepodataGivesNewRecords)
{
    server.serve_bytes("/chan/linux-64/repodata.json.zst", zstd_compress(k_repodata));
    ASSERT_TRUE(fetch());
    server.serve_bytes("/chan/linux-64/repodata.json.zst", zstd_compress(k_newer));
    auto changed = fetch();
    ASSERT_TRUE(changed) << changed.error().message;
    ASSERT_EQ(changed->records.size(), 1u);
    EXPECT_EQ(changed->records[0].filename, "zlib-1.3.2-h0_0.conda");
    auto record = store::find_url_record(*m_store, request().channel + "/linux-64/repodata.json.zst");
    ASSERT_TRUE(record);
    EXPECT_EQ(record->size, zstd_compress(k_newer).size());
}

TEST_F(ChannelClientTest, ServerErrorNamesTheUrl)
{
    server.serve_bytes("/chan/linux-64/repodata.json", k_repodata, "application/json");
    server.fail_times("/chan/linux-64/repodata.json", -1, 500);
    auto repodata = fetch();
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().code, ErrorCode::download);
    EXPECT_EQ(repodata.error().message, server.url("/chan/linux-64/repodata.json") + ": HTTP 500");
}

TEST_F(ChannelClientTest, NeitherFileIsNoSubdir)
{
    auto repodata = fetch("osx-arm64");
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().code, ErrorCode::download);
    EXPECT_EQ(repodata.error().message,
              "channel " + server.url("/chan") + " has no subdir osx-arm64 (repodata.json: HTTP 404)");
}

TEST_F(ChannelClientTest, AMissingPlatformSubdirCanCountAsEmpty)
{
    auto fetch = request("osx-arm64");
    fetch.missing_is_empty = true;
    auto repodata = fetch_repodata(fetch);
    ASSERT_TRUE(repodata) << repodata.error().message;
    EXPECT_EQ(repodata->subdir, "osx-arm64");
    EXPECT_TRUE(repodata->records.empty());
}

TEST_F(ChannelClientTest, AccessDeniedAsksForCredentials)
{
    server.serve_bytes("/chan/linux-64/repodata.json.zst", zstd_compress(k_repodata));
    server.require_bearer("/chan/linux-64/repodata.json.zst", "s3cret-token");
    auto fetch_request = request();
    fetch_request.credentials = {net::Credentials::Kind::bearer, "", "wrong-token"};
    auto repodata = fetch_repodata(fetch_request);
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().code, ErrorCode::download);
    EXPECT_NE(repodata.error().message.find("check the credentials for channel " + server.url("/chan")),
              std::string::npos)
        << repodata.error().message;
    EXPECT_EQ(repodata.error().message.find("token"), std::string::npos) << repodata.error().message;
}

TEST_F(ChannelClientTest, CorruptZstIsAClearError)
{
    server.serve_bytes("/chan/linux-64/repodata.json.zst", "this is not zstd at all");
    auto repodata = fetch();
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().code, ErrorCode::download);
    EXPECT_EQ(repodata.error().message.rfind(server.url("/chan/linux-64/repodata.json.zst") +
                                                 ": not a valid zstd stream (",
                                             0),
              0u)
        << repodata.error().message;
}

TEST_F(ChannelClientTest, TruncatedZstIsAClearError)
{
    auto compressed = zstd_compress(k_repodata);
    compressed.resize(compressed.size() / 2);
    server.serve_bytes("/chan/linux-64/repodata.json.zst", compressed);
    auto repodata = fetch();
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().message, server.url("/chan/linux-64/repodata.json.zst") +
                                            ": truncated zstd stream (the last frame does not end)");
}

TEST_F(ChannelClientTest, RejectsAnInvalidSubdir)
{
    auto repodata = fetch("../etc");
    ASSERT_FALSE(repodata);
    EXPECT_EQ(repodata.error().code, ErrorCode::usage);
    EXPECT_EQ(server.all_requests().size(), 0u);
}

TEST(ChannelUrlTest, BareNameGoesToAnacondaOrg)
{
    EXPECT_EQ(channel_url("conda-forge"), "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(channel_url("bioconda/"), "https://conda.anaconda.org/bioconda");
}

TEST(ChannelUrlTest, UrlsAreKeptWithoutTrailingSlash)
{
    EXPECT_EQ(channel_url("https://mirror.example/conda/conda-forge/"), "https://mirror.example/conda/conda-forge");
    EXPECT_EQ(channel_url("http://127.0.0.1:8080/chan"), "http://127.0.0.1:8080/chan");
    EXPECT_EQ(channel_url("file:///srv/channel//"), "file:///srv/channel");
}

TEST(ChannelUrlTest, NameIsTheLastPathSegment)
{
    EXPECT_EQ(channel_name("https://conda.anaconda.org/conda-forge"), "conda-forge");
    EXPECT_EQ(channel_name("https://mirror.example/conda/bioconda/"), "bioconda");
    EXPECT_EQ(channel_name("file:///srv/channel"), "channel");
    EXPECT_EQ(channel_name(channel_url("pytorch")), "pytorch");
}

}  // namespace
}  // namespace gapbundle::sources::conda
