// The trip with files served over HTTP by an in-process server that injects faults.
#include "support/http_test_server.hpp"
#include "trip_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <chrono>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

std::string pattern(std::size_t size, char seed)
{
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>(seed + static_cast<char>(i % 251));
    return s;
}

std::size_t count_files(const stdfs::path& folder)
{
    if (!stdfs::exists(folder)) return 0;
    std::size_t n = 0;
    for (const auto& entry : stdfs::recursive_directory_iterator(folder))
        if (entry.is_regular_file()) ++n;
    return n;
}

class DownloadTripTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        weights = pattern(2'000'000, 'a');
        server.serve_bytes("/models/weights.bin", weights);
        server.serve_bytes("/models/config.json", "{\"hidden\": 64}\n");
        server.serve_bytes("/tools/run.py", "print('hi')\n");
    }

    stdfs::path three_file_manifest(const std::string& extra = "")
    {
        return write_manifest("  - url: " + server.url("/models/weights.bin") + "\n    path: models/weights.bin\n" +
                              "  - url: " + server.url("/models/config.json") + "\n    path: models/config.json\n" +
                              "  - url: " + server.url("/tools/run.py") + "\n" + extra);
    }

    RunResult pack(const stdfs::path& manifest, const stdfs::path& bundle, std::vector<std::string> extra = {},
                   const std::vector<std::string>& env = {})
    {
        std::vector<std::string> args{"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(),
                                      "--cache-dir", cache().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args, env);
    }

    HttpTestServer server;
    std::string weights;
};

TEST_F(DownloadTripTest, PacksVerifiesAndUnpacksServedFiles)
{
    const auto bundle = dir() / "b.tar.zst";
    auto packed = pack(three_file_manifest(), bundle, {"--jobs", "3"});
    ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    ASSERT_EQ(unpack.status, 0) << unpack.out << unpack.err;
    EXPECT_EQ(read_text(dir() / "out/files/models/weights.bin"), weights);
    EXPECT_EQ(read_text(dir() / "out/files/models/config.json"), "{\"hidden\": 64}\n");
    EXPECT_EQ(read_text(dir() / "out/files/run.py"), "print('hi')\n");
}

TEST_F(DownloadTripTest, EachEntryIsAComponentNamingItsSourceWithoutTheQuery)
{
    const std::string signed_url = server.url("/tools/run.py") + "?X-Amz-Signature=s3cr3t#frag";
    const auto manifest = write_manifest("  - url: " + server.url("/models/weights.bin") +
                                         "\n    path: models/weights.bin\n  - url: \"" + signed_url +
                                         "\"\n    path: tools/run.py\n");
    const auto bundle = dir() / "b.tar";
    auto packed = pack(manifest, bundle);
    ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
    auto exported = gapbundle({"inspect", "--index", bundle.string()});
    ASSERT_EQ(exported.status, 0) << exported.err;
    EXPECT_EQ(exported.out.find("s3cr3t"), std::string::npos) << "a signed URL's token stays out of the bundle";
    const auto components = nlohmann::json::parse(exported.out).at("components");
    ASSERT_EQ(components.size(), 2u) << components;
    EXPECT_EQ(components[0].at("kind"), "files");
    EXPECT_EQ(components[0].at("name"), "models/weights.bin");
    EXPECT_EQ(components[0].at("version"), "sha256:" + crypto::sha256_hex(weights));
    EXPECT_EQ(components[0].at("paths"), nlohmann::json::array({"files/models/weights.bin"}));
    EXPECT_EQ(components[0].at("requested"), nlohmann::json::array({server.url("/models/weights.bin")}));
    EXPECT_EQ(components[1].at("name"), "tools/run.py");
    EXPECT_EQ(components[1].at("requested"), nlohmann::json::array({server.url("/tools/run.py")}));

    // The SBOM lists the files as files, each with the URL it was downloaded from.
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    ASSERT_EQ(unpack.status, 0) << unpack.out << unpack.err;
    const auto sbom = nlohmann::json::parse(read_text(dir() / "out/gapbundle/sbom.cdx.json"));
    std::size_t files = 0;
    for (const auto& item : sbom.at("components")) {
        ASSERT_EQ(item.at("type"), "file") << item;
        ++files;
        if (item.at("name") == "files/tools/run.py") {
            EXPECT_EQ(item.at("externalReferences")[0].at("url"), server.url("/tools/run.py"));
        }
    }
    EXPECT_EQ(files, 2u);
}

TEST_F(DownloadTripTest, SecondPackDownloadsNothing)
{
    const auto manifest = three_file_manifest();
    const auto lock = dir() / "lock.json";
    const auto served = [&] {
        return server.requests("/models/weights.bin") + server.requests("/models/config.json") +
               server.requests("/tools/run.py");
    };
    ASSERT_EQ(gapbundle({"lock", manifest.string(), "-o", lock.string(), "--cache-dir", cache().string()}).status, 0);
    EXPECT_EQ(served(), 3);
    for (const char* name : {"one.tar", "two.tar"}) {
        auto packed = pack(manifest, dir() / name, {"--lock", lock.string(), "--json"});
        ASSERT_EQ(packed.status, 0) << packed.err;
        auto doc = json_of(packed);
        EXPECT_EQ(doc["downloaded"], 0);
        EXPECT_EQ(doc["cached"], 3);
        EXPECT_EQ(doc["bytes_downloaded"], 0);
    }
    EXPECT_EQ(served(), 3);
    // A pack that resolves the manifest itself downloads once, then its pack --lock downloads nothing.
    stdfs::remove_all(cache());
    auto fresh = pack(manifest, dir() / "three.tar", {"--json"});
    ASSERT_EQ(fresh.status, 0) << fresh.err;
    EXPECT_EQ(served(), 6);
    ASSERT_EQ(pack(manifest, dir() / "four.tar", {"--lock", lock.string()}).status, 0);
    EXPECT_EQ(served(), 6);
}

TEST_F(DownloadTripTest, ResolvingAgainRevalidatesInsteadOfDownloading)
{
    const auto manifest = three_file_manifest();
    auto first = pack(manifest, dir() / "one.tar", {"--json"});
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(json_of(first)["downloaded"], 3);
    EXPECT_EQ(json_of(first)["cached"], 0);
    EXPECT_EQ(json_of(first)["bytes_downloaded"], weights.size() + 15 + 12);
    auto second = pack(manifest, dir() / "one-again.tar", {"--json"});
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(json_of(second)["downloaded"], 0);
    EXPECT_EQ(json_of(second)["cached"], 3);
    EXPECT_EQ(json_of(second)["bytes_downloaded"], 0);
    server.clear_log();
    // Resolving the unchanged manifest again: conditional requests, answered 304, no body.
    auto again = gapbundle({"--json", "lock", manifest.string(), "-o", (dir() / "l.json").string(), "--cache-dir",
                            cache().string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(server.requests("/models/weights.bin"), 1);
    EXPECT_TRUE(server.last_header("/models/weights.bin", "If-None-Match").has_value());
    ASSERT_EQ(pack(manifest, dir() / "two.tar", {}, {"SOURCE_DATE_EPOCH=1750000000"}).status, 0);
    // When the content changes, the new bytes are downloaded and locked.
    server.serve_bytes("/tools/run.py", "print('changed')\n");
    auto changed = pack(manifest, dir() / "three.tar");
    ASSERT_EQ(changed.status, 0) << changed.err;
    ASSERT_EQ(gapbundle({"unpack", (dir() / "three.tar").string(), "--trust", pub().string(), "--to",
                         (dir() / "o").string()}).status, 0);
    EXPECT_EQ(read_text(dir() / "o/files/run.py"), "print('changed')\n");
}

TEST_F(DownloadTripTest, PackFromLockReproducesTheBundle)
{
    const auto manifest = three_file_manifest();
    const std::vector<std::string> epoch{"SOURCE_DATE_EPOCH=1750000000"};
    auto locked = gapbundle({"lock", manifest.string(), "--cache-dir", cache().string()}, epoch);
    ASSERT_EQ(locked.status, 0) << locked.err;
    const auto lock = dir() / "gapbundle.lock.json";
    ASSERT_TRUE(stdfs::exists(lock));
    EXPECT_NE(read_text(lock).find(server.url("/models/weights.bin")), std::string::npos);
    ASSERT_EQ(pack(manifest, dir() / "a.tar.zst", {"--lock", lock.string()}, epoch).status, 0);
    ASSERT_EQ(pack(manifest, dir() / "b.tar.zst", {"--lock", lock.string()}, epoch).status, 0);
    EXPECT_EQ(read_text(dir() / "a.tar.zst"), read_text(dir() / "b.tar.zst"));
    // From a fresh cache the lock's downloads give the same bytes again.
    stdfs::remove_all(cache());
    ASSERT_EQ(pack(manifest, dir() / "c.tar.zst", {"--lock", lock.string()}, epoch).status, 0);
    EXPECT_EQ(read_text(dir() / "a.tar.zst"), read_text(dir() / "c.tar.zst"));
}

TEST_F(DownloadTripTest, ATornCacheBlobIsRemovedAndDownloadedAgain)
{
    // The cache is not fsynced: a crash can leave a blob under its name with other bytes.
    const auto manifest = three_file_manifest();
    const auto lock = dir() / "lock.json";
    ASSERT_EQ(gapbundle({"lock", manifest.string(), "-o", lock.string(), "--cache-dir", cache().string()}).status, 0);
    const auto blob = cache() / "blobs/sha256" / crypto::sha256_hex(weights);
    ASSERT_TRUE(stdfs::exists(blob));
    write_text(blob, std::string(weights.size() / 2, '\0'));

    const auto bundle = dir() / "b.tar";
    auto torn = pack(manifest, bundle, {"--lock", lock.string()});
    EXPECT_EQ(torn.status, 3) << torn.err;
    EXPECT_NE(torn.err.find(blob.string()), std::string::npos) << torn.err;
    EXPECT_NE(torn.err.find("removed it from the cache: run again"), std::string::npos) << torn.err;
    EXPECT_FALSE(stdfs::exists(blob));
    EXPECT_FALSE(stdfs::exists(bundle));

    const int before = server.requests("/models/weights.bin");
    auto again = pack(manifest, bundle, {"--lock", lock.string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(server.requests("/models/weights.bin"), before + 1);
    EXPECT_EQ(read_text(blob), weights);
}

TEST_F(DownloadTripTest, ResumesAfterDroppedConnection)
{
    server.drop_after("/models/weights.bin", 700'000);
    auto packed = pack(three_file_manifest(), dir() / "b.tar");
    ASSERT_EQ(packed.status, 0) << packed.err;
    EXPECT_EQ(server.requests("/models/weights.bin"), 2);
    EXPECT_EQ(server.last_header("/models/weights.bin", "Range").value_or(""), "bytes=700000-");
    ASSERT_EQ(gapbundle({"unpack", (dir() / "b.tar").string(), "--trust", pub().string(), "--to", (dir() / "o").string()}).status, 0);
    EXPECT_EQ(read_text(dir() / "o/files/models/weights.bin"), weights);
}

TEST_F(DownloadTripTest, RetriesAfter503)
{
    server.fail_times("/models/config.json", 2, 503);
    auto packed = pack(three_file_manifest(), dir() / "b.tar");
    ASSERT_EQ(packed.status, 0) << packed.err;
    EXPECT_EQ(server.requests("/models/config.json"), 3);
}

TEST_F(DownloadTripTest, HonoursRetryAfterOn429)
{
    server.fail_times("/tools/run.py", 1, 429, {{"Retry-After", "2"}});
    const auto start = std::chrono::steady_clock::now();
    auto packed = pack(three_file_manifest(), dir() / "b.tar");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(packed.status, 0) << packed.err;
    EXPECT_EQ(server.requests("/tools/run.py"), 2);
    EXPECT_GE(elapsed, std::chrono::milliseconds(1900));
}

TEST_F(DownloadTripTest, HashMismatchExitsThreeAndCachesNothing)
{
    const std::string sha = "0d5e2bb3b2e01d2be5f0c6e5ad0c22b7d8bd3fbb0a7b4a4c1c1d6b6f3e2b1a00";
    const auto manifest = write_manifest("  - url: " + server.url("/tools/run.py") + "\n    sha256: " + sha + "\n");
    auto packed = pack(manifest, dir() / "b.tar");
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("files[0]"), std::string::npos) << packed.err;
    EXPECT_NE(packed.err.find(server.url("/tools/run.py")), std::string::npos) << packed.err;
    EXPECT_EQ(count_files(cache() / "blobs"), 0u);
    EXPECT_EQ(count_files(cache() / "tmp"), 0u);
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

TEST_F(DownloadTripTest, WrongBytesFromServerAreCaughtAgainstTheLock)
{
    const auto manifest = three_file_manifest();
    const auto lock = dir() / "lock.json";
    ASSERT_EQ(gapbundle({"lock", manifest.string(), "-o", lock.string(), "--cache-dir", cache().string()}).status, 0);
    server.wrong_bytes("/models/weights.bin");
    stdfs::remove_all(cache());
    auto packed = pack(manifest, dir() / "b.tar", {"--lock", lock.string(), "--retries", "0"});
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("/models/weights.bin"), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(cache() / "blobs/sha256") && count_files(cache() / "blobs") == 3);
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

TEST_F(DownloadTripTest, StallTimesOut)
{
    server.stall("/tools/run.py", std::chrono::seconds(20), 0, -1);
    const auto start = std::chrono::steady_clock::now();
    auto packed = pack(three_file_manifest(), dir() / "b.tar", {"--timeout", "1", "--retries", "1"});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("files[2]"), std::string::npos) << packed.err;
    EXPECT_LT(elapsed, std::chrono::seconds(15));
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

TEST_F(DownloadTripTest, NotFoundExitsThreeNamingTheEntry)
{
    const auto manifest = write_manifest("  - url: " + server.url("/tools/run.py") + "\n  - url: " +
                                         server.url("/missing/model.bin") + "\n");
    auto packed = pack(manifest, dir() / "b.tar");
    EXPECT_EQ(packed.status, 3);
    EXPECT_NE(packed.err.find("files[1]"), std::string::npos) << packed.err;
    EXPECT_NE(packed.err.find("404"), std::string::npos) << packed.err;
    EXPECT_EQ(server.requests("/missing/model.bin"), 1);  // a 404 is not retried
}

TEST_F(DownloadTripTest, NetrcCredentialsAreUsedAndNeverShown)
{
    server.require_basic_auth("/models/config.json", "operator", "s3cret-pass");
    write_text(dir() / "netrc", "machine 127.0.0.1 login operator password s3cret-pass\n");
    const auto lock = dir() / "lock.json";
    const std::vector<std::string> env{"NETRC=" + (dir() / "netrc").string()};
    auto locked = gapbundle({"-v", "lock", three_file_manifest().string(), "-o", lock.string(), "--cache-dir",
                             cache().string()}, env);
    ASSERT_EQ(locked.status, 0) << locked.err;
    auto packed = pack(dir() / "manifest.yaml", dir() / "b.tar", {"--lock", lock.string(), "-v"}, env);
    ASSERT_EQ(packed.status, 0) << packed.err;
    for (const auto& text : {locked.out, locked.err, packed.out, packed.err, read_text(lock), read_text(dir() / "b.tar")})
        EXPECT_EQ(text.find("s3cret-pass"), std::string::npos);
    // Without the credentials: a clear 401 error naming the entry.
    stdfs::remove_all(cache());
    auto denied = pack(dir() / "manifest.yaml", dir() / "c.tar", {"--lock", lock.string()}, {"NETRC=/nonexistent"});
    EXPECT_EQ(denied.status, 3);
    EXPECT_NE(denied.err.find("401"), std::string::npos) << denied.err;
}

TEST_F(DownloadTripTest, HonoursProxyVariables)
{
    // A proxy on a closed port: the download must go through it and so fail; no_proxy lets it by.
    const std::vector<std::string> via_dead_proxy{"http_proxy=http://127.0.0.1:9", "HTTP_PROXY=", "no_proxy=", "NO_PROXY="};
    auto refused = pack(three_file_manifest(), dir() / "a.tar", {"--retries", "0"}, via_dead_proxy);
    EXPECT_EQ(refused.status, 3) << refused.err;
    EXPECT_EQ(server.requests("/tools/run.py"), 0);
    auto bypassed = pack(dir() / "manifest.yaml", dir() / "b.tar", {},
                         {"http_proxy=http://127.0.0.1:9", "no_proxy=127.0.0.1"});
    EXPECT_EQ(bypassed.status, 0) << bypassed.err;
    EXPECT_EQ(server.requests("/tools/run.py"), 1);
}

}  // namespace
}  // namespace gapbundle::testing
