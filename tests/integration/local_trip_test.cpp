// The trip with local files only: keygen, lock, pack, inspect, verify, unpack, and the ways a
// bundle or a command line can be wrong.
#include "trip_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <chrono>
#include <fcntl.h>
#include <ostream>
#include <thread>
#include <sys/stat.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class LocalTripTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        manifest = write_local_payload();
    }
    stdfs::path manifest;
};

TEST_F(LocalTripTest, KeygenWritesPrivateKey0600AndPrintsKeyId)
{
    struct stat st{};
    ASSERT_EQ(::stat(key().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto again = gapbundle({"keygen", "--out", (dir() / "signer").string()});
    EXPECT_EQ(again.status, 2);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    // The printed key id is the SHA-256 of the public key's DER, as openssl computes it.
    auto fresh = gapbundle({"keygen", "--out", (dir() / "other").string()});
    ASSERT_EQ(fresh.status, 0);
    auto der = run_program("/bin/sh", {"-c", "openssl pkey -pubin -in '" + (dir() / "other.pub").string() +
                                                 "' -outform DER | sha256sum | cut -d' ' -f1"}, dir());
    EXPECT_EQ(fresh.out, der.out);
}

TEST_F(LocalTripTest, PacksVerifiesAndUnpacksByteForByte)
{
    const auto bundle = dir() / "b.tar.zst";
    pack_ok(manifest, bundle);
    auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
    EXPECT_NE(verify.out.find("OK "), std::string::npos);
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    ASSERT_EQ(unpack.status, 0) << unpack.out << unpack.err;
    EXPECT_EQ(read_text(dir() / "out/files/data/model.bin"), read_text(dir() / "data/model.bin"));
    EXPECT_EQ(read_text(dir() / "out/files/data/sub/notes.txt"), "notes\n");
    EXPECT_EQ(read_text(dir() / "out/files/docs/card.md"), "# card\n");
    EXPECT_TRUE(stdfs::exists(dir() / "out/gapbundle/index.json"));
    expect_no_staging_left();
}

TEST_F(LocalTripTest, InspectSaysUnverified)
{
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    auto inspect = gapbundle({"inspect", bundle.string()});
    ASSERT_EQ(inspect.status, 0) << inspect.err;
    EXPECT_NE(inspect.out.find("UNVERIFIED"), std::string::npos);
    EXPECT_NE(inspect.out.find("files/data/model.bin"), std::string::npos);
    auto json = gapbundle({"--json", "inspect", bundle.string()});
    ASSERT_EQ(json.status, 0);
    auto doc = json_of(json);
    EXPECT_EQ(doc["verified"], false);
    EXPECT_EQ(doc["index"]["name"], "trip");
    // Printed as every --json document is (keys sorted, indented by two), the index written from its
    // signed text as it goes rather than through a JSON tree: byte for byte that document.
    auto index_text = gapbundle({"inspect", "--index", bundle.string()});
    ASSERT_EQ(index_text.status, 0) << index_text.err;
    const nlohmann::json expected{{"command", "inspect"},
                                  {"result", "ok"},
                                  {"verified", false},
                                  {"index", nlohmann::json::parse(index_text.out)},
                                  {"signatures", doc["signatures"]}};
    EXPECT_EQ(json.out, expected.dump(2) + "\n");
    ASSERT_EQ(doc["signatures"].size(), 1u);
    EXPECT_EQ(doc["signatures"][0]["alg"], "ed25519");
}

TEST_F(LocalTripTest, JsonResultsForPackVerifyUnpack)
{
    const auto bundle = dir() / "b.tar";
    auto pack = gapbundle({"--json", "pack", manifest.string(), "--key", key().string(), "-o", bundle.string(),
                           "--cache-dir", cache().string()});
    ASSERT_EQ(pack.status, 0) << pack.err;
    auto p = json_of(pack);
    EXPECT_EQ(p["result"], "ok");
    EXPECT_EQ(p["files"], 3);
    EXPECT_EQ(p["key_ids"].size(), 1u);
    auto verify = gapbundle({"verify", "--json", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verify.status, 0);
    auto v = json_of(verify);
    EXPECT_EQ(v["result"], "ok");
    EXPECT_EQ(v["files"].get<int>(), 5);  // three payload files, SHA256SUMS and the SBOM
    EXPECT_TRUE(v["problems"].empty());
    auto unpack = gapbundle({"--json", "unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "o").string()});
    ASSERT_EQ(unpack.status, 0);
    EXPECT_EQ(json_of(unpack)["result"], "ok");
}

TEST_F(LocalTripTest, SeveralKeysMeetAThreshold)
{
    ASSERT_EQ(gapbundle({"keygen", "--out", (dir() / "second").string()}).status, 0);
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle, {"--key", (dir() / "second.key").string()});
    stdfs::create_directories(dir() / "trust");
    stdfs::copy_file(pub(), dir() / "trust/a.pub");
    stdfs::copy_file(dir() / "second.pub", dir() / "trust/b.pub");
    auto two = gapbundle({"verify", bundle.string(), "--trust", (dir() / "trust").string(), "--threshold", "2"});
    EXPECT_EQ(two.status, 0) << two.out << two.err;
    auto three = gapbundle({"verify", bundle.string(), "--trust", (dir() / "trust").string(), "--threshold", "3"});
    EXPECT_EQ(three.status, 1);
}

TEST_F(LocalTripTest, ThresholdTwoWithOneSignatureFails)
{
    ASSERT_EQ(gapbundle({"keygen", "--out", (dir() / "second").string()}).status, 0);
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    auto result = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--trust",
                             (dir() / "second.pub").string(), "--threshold", "2", "--to", (dir() / "out").string()});
    EXPECT_EQ(result.status, 1);
    EXPECT_FALSE(stdfs::exists(dir() / "out"));
    expect_no_staging_left();
}

TEST_F(LocalTripTest, UntrustedKeyIsRefused)
{
    ASSERT_EQ(gapbundle({"keygen", "--out", (dir() / "stranger").string()}).status, 0);
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    auto verify = gapbundle({"verify", bundle.string(), "--trust", (dir() / "stranger.pub").string()});
    EXPECT_EQ(verify.status, 1);
    EXPECT_NE(verify.out.find("gapbundle/index.json"), std::string::npos) << verify.out;
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", (dir() / "stranger.pub").string(), "--to",
                             (dir() / "out").string()});
    EXPECT_EQ(unpack.status, 1);
    EXPECT_FALSE(stdfs::exists(dir() / "out"));
}

TEST_F(LocalTripTest, ExpiredBundleIsRefused)
{
    const auto expiring = write_manifest("  - url: card.md\n", "expires: 1d\n");
    const auto bundle = dir() / "b.tar";
    auto pack = gapbundle({"pack", expiring.string(), "--key", key().string(), "-o", bundle.string(), "--cache-dir",
                           cache().string()},
                          {"SOURCE_DATE_EPOCH=1000000000"});
    ASSERT_EQ(pack.status, 0) << pack.err;
    auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(verify.status, 1);
    EXPECT_NE(verify.out.find("expired"), std::string::npos) << verify.out;
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    EXPECT_EQ(unpack.status, 1);
    EXPECT_FALSE(stdfs::exists(dir() / "out"));
}

// One byte flipped in a payload file, in index.json, in the signature; a truncated bundle.
struct Tamper {
    const char* name;
    const char* needle;  // where to flip, found in the uncompressed tar
    const char* expect;  // text the problem lines must contain
};

void PrintTo(const Tamper& tamper, std::ostream* os)
{
    *os << tamper.name;
}

class TamperTest : public LocalTripTest, public ::testing::WithParamInterface<Tamper> {};

TEST_P(TamperTest, FailsVerifyAndUnpackLeavingNothing)
{
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    const auto offset = find_bytes(bundle, GetParam().needle);
    ASSERT_NE(offset, std::string::npos);
    flip_byte(bundle, offset + 2);
    auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(verify.status, 1) << verify.out << verify.err;
    EXPECT_NE(verify.out.find(GetParam().expect), std::string::npos) << verify.out;
    stdfs::create_directories(dir() / "out");
    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    EXPECT_EQ(unpack.status, 1) << unpack.out << unpack.err;
    EXPECT_TRUE(stdfs::is_empty(dir() / "out"));
    expect_no_staging_left();
}

INSTANTIATE_TEST_SUITE_P(LocalTripTest, TamperTest,
                         ::testing::Values(Tamper{"payload", "wwwwwwwwwwwwwwwwwwww", "files/data/model.bin"},
                                           Tamper{"index", "\"name\":\"trip\"", "gapbundle/index.json"},
                                           Tamper{"signature", "\"sig\":\"", "gapbundle/index.json"}),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST_F(LocalTripTest, TruncatedBundleFails)
{
    for (const char* name : {"b.tar", "b.tar.zst"}) {
        const auto bundle = dir() / name;
        pack_ok(manifest, bundle);
        stdfs::resize_file(bundle, stdfs::file_size(bundle) / 2);
        auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
        EXPECT_EQ(verify.status, 1) << name << verify.out << verify.err;
        auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
        EXPECT_EQ(unpack.status, 1) << name;
        EXPECT_FALSE(stdfs::exists(dir() / "out"));
        expect_no_staging_left();
    }
}

TEST_F(LocalTripTest, UnpackRefusesNonEmptyDestinationUnlessMerge)
{
    const auto bundle = dir() / "b.tar";
    pack_ok(manifest, bundle);
    write_text(dir() / "out/keep.txt", "mine");
    auto refused = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    EXPECT_EQ(refused.status, 2) << refused.err;
    EXPECT_NE(refused.err.find("--merge"), std::string::npos) << refused.err;
    auto merged = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string(), "--merge"});
    ASSERT_EQ(merged.status, 0) << merged.out << merged.err;
    EXPECT_EQ(read_text(dir() / "out/keep.txt"), "mine");
    EXPECT_EQ(read_text(dir() / "out/files/docs/card.md"), "# card\n");
    // Merging again: everything identical, nothing to change.
    auto again = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string(), "--merge"});
    EXPECT_EQ(again.status, 0) << again.out << again.err;
    // An existing file with other content is never changed.
    write_text(dir() / "out/files/docs/card.md", "edited");
    auto conflict = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string(), "--merge"});
    EXPECT_EQ(conflict.status, 4);
    EXPECT_NE(conflict.err.find("files/docs/card.md"), std::string::npos) << conflict.err;
    EXPECT_EQ(read_text(dir() / "out/files/docs/card.md"), "edited");
    expect_no_staging_left();
}

TEST_F(LocalTripTest, ManifestErrorsExitTwoWithLineAndColumn)
{
    const auto bad = write_manifest("  - url: card.md\n    sha265: abc\n");
    auto result = gapbundle({"pack", bad.string(), "--key", key().string(), "-o", (dir() / "b.tar").string(),
                             "--cache-dir", cache().string()});
    EXPECT_EQ(result.status, 2);
    EXPECT_NE(result.err.find("manifest.yaml:5:5:"), std::string::npos) << result.err;
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

TEST_F(LocalTripTest, UsageErrorsExitTwo)
{
    EXPECT_EQ(gapbundle({"pack", manifest.string()}).status, 2);
    EXPECT_EQ(gapbundle({"frobnicate"}).status, 2);
    auto no_trust = gapbundle({"verify", (dir() / "missing.tar").string()});
    EXPECT_EQ(no_trust.status, 2);
    EXPECT_NE(no_trust.err.find("--trust"), std::string::npos) << no_trust.err;
    auto as_json = gapbundle({"--json", "verify", (dir() / "missing.tar").string()});
    EXPECT_EQ(as_json.status, 2);
    EXPECT_EQ(json_of(as_json)["exit_code"], 2);
}

TEST_F(LocalTripTest, MissingBundleIsALocalError)
{
    auto result = gapbundle({"verify", (dir() / "missing.tar").string(), "--trust", pub().string()});
    EXPECT_EQ(result.status, 4) << result.err;
    EXPECT_NE(result.err.find("missing.tar"), std::string::npos);
}

TEST_F(LocalTripTest, LocalFileChangedSinceLockFailsPack)
{
    const auto lock = dir() / "lock.json";
    auto locked = gapbundle({"lock", manifest.string(), "-o", lock.string(), "--cache-dir", cache().string()});
    ASSERT_EQ(locked.status, 0) << locked.err;
    write_text(dir() / "card.md", "# CARD\n");
    auto pack = gapbundle({"pack", manifest.string(), "--lock", lock.string(), "--key", key().string(), "-o",
                           (dir() / "b.tar").string(), "--cache-dir", cache().string()});
    EXPECT_EQ(pack.status, 3) << pack.err;
    EXPECT_NE(pack.err.find("card.md"), std::string::npos) << pack.err;
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));
}

// Locking again reads only the files that changed; the records it trusts instead cannot reach a
// bundle, because pack hashes every file again against the lock.
TEST_F(LocalTripTest, LockingAgainReadsOnlyChangedFiles)
{
    const auto folder = dir() / "data";
    const auto abs_manifest = write_manifest("  - url: " + folder.string() + "\n");
    const auto lock = dir() / "lock.json";
    const auto lock_it = [&] {
        return gapbundle({"lock", abs_manifest.string(), "-o", lock.string(), "--cache-dir", cache().string()});
    };
    // Files changed in the last 2 seconds are hashed every time; these are settled now.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    ASSERT_EQ(lock_it().status, 0);
    const auto records = cache() / "local" / crypto::sha256_hex(folder.string());
    ASSERT_TRUE(stdfs::exists(records));
    std::string text = read_text(records);
    const std::string real = crypto::sha256_hex(std::string(300000, 'w') + "end");
    ASSERT_NE(text.find(real), std::string::npos) << text;

    // A record that still matches the file's inode, size, mtime and ctime is trusted without
    // reading the file: a planted digest shows up in the lock...
    const std::string planted(64, 'a');
    text.replace(text.find(real), real.size(), planted);
    write_text(records, text);
    ASSERT_EQ(lock_it().status, 0);
    EXPECT_NE(read_text(lock).find(planted), std::string::npos);
    // ...and pack refuses the file, which does not hash to it.
    auto packed = gapbundle({"pack", abs_manifest.string(), "--lock", lock.string(), "--key", key().string(), "-o",
                             (dir() / "b.tar").string(), "--cache-dir", cache().string()});
    EXPECT_EQ(packed.status, 3) << packed.err;
    EXPECT_NE(packed.err.find("changed since it was locked"), std::string::npos) << packed.err;
    EXPECT_FALSE(stdfs::exists(dir() / "b.tar"));

    // A file written since (same size, its old mtime put back) is read again: its ctime moved.
    const auto model = folder / "model.bin";
    struct stat before {};
    ASSERT_EQ(::stat(model.c_str(), &before), 0);
    write_text(model, std::string(300000, 'x') + "end");
    const timespec times[2] = {before.st_atim, before.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, model.c_str(), times, 0), 0);
    ASSERT_EQ(lock_it().status, 0);
    EXPECT_NE(read_text(lock).find(crypto::sha256_hex(std::string(300000, 'x') + "end")), std::string::npos);
    EXPECT_EQ(read_text(lock).find(planted), std::string::npos);
}

}  // namespace
}  // namespace gapbundle::testing
