#include <gapbundle/manifest/lock.hpp>

#include <gapbundle/crypto/sha256.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace gapbundle::manifest {
namespace {

using gapbundle::testing::read_text;
using gapbundle::testing::write_text;
using nlohmann::json;

const std::string k_sha_a(64, 'a');
const std::string k_sha_b(64, 'b');

// A lock with its header and nothing in it yet.
Lock demo_lock()
{
    Lock lock;
    lock.name = "demo";
    lock.manifest_sha256 = std::string(64, 'c');
    return lock;
}

class LockTest : public gapbundle::testing::TestDirFixture {
protected:
    static Lock sample()
    {
        Lock lock = demo_lock();
        lock.artifacts.push_back({"files", "files/configs/a.json", "file:///srv/configs/a.json", 12, k_sha_a, 0644, "files[1]", std::nullopt, std::nullopt});
        lock.artifacts.push_back({"files", "files/tools/run", "https://example.org/run", 7, k_sha_b, 0755, "files[0]", std::nullopt, std::nullopt});
        return lock;
    }

    // parse_lock on sample() with `edit` applied to its JSON; returns the error message.
    static std::string error_after(const std::function<void(json&)>& edit)
    {
        json document = json::parse(to_json(sample()));
        edit(document);
        auto lock = parse_lock(document.dump(), "x.lock.json");
        if (lock) return "(parsed)";
        EXPECT_EQ(lock.error().code, ErrorCode::manifest);
        return lock.error().message;
    }
};

TEST_F(LockTest, WritesStablePrettyJson)
{
    EXPECT_EQ(to_json(sample()), R"({
  "artifacts": [
    {
      "bundle_path": "files/configs/a.json",
      "kind": "files",
      "mode": 420,
      "origin": "files[1]",
      "sha256": ")" + k_sha_a + R"(",
      "size": 12,
      "url": "file:///srv/configs/a.json"
    },
    {
      "bundle_path": "files/tools/run",
      "kind": "files",
      "mode": 493,
      "origin": "files[0]",
      "sha256": ")" + k_sha_b + R"(",
      "size": 7,
      "url": "https://example.org/run"
    }
  ],
  "manifest_sha256": ")" + std::string(64, 'c') + R"(",
  "name": "demo",
  "version": 1
}
)");
}

// Artifacts are written without a JSON value each: the whole text must still be what dump(2) of
// the document gives, for every shape of artifact and for strings that need escaping.
TEST_F(LockTest, WritesWhatDumpOfTheDocumentGivesForEveryArtifactShape)
{
    Lock lock = sample();
    lock.artifacts.push_back({"files", "files/q\"uote\\d", "file:///srv/caf\xc3\xa9\tx", 3, k_sha_a, 0644, "files[2]",
                              std::nullopt, std::nullopt});
    lock.artifacts.push_back({"files", "files/inline", "", 5, crypto::sha256_hex("hello"), 0644, "files[3]",
                              std::string("hello"), std::nullopt});
    lock.artifacts.push_back({"files", "files/link", "", 0, "", 0, "files[4]", std::nullopt, std::string("inline")});
    lock.artifacts.push_back({"pip", "pypi/files/a.whl", "https://user:secret@example.org/a.whl", 9, k_sha_b, 0644,
                              "pip", std::nullopt, std::nullopt});
    const std::string text = to_json(lock);
    EXPECT_EQ(text, json::parse(text).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    const json document = json::parse(text);
    EXPECT_EQ(document["artifacts"][2]["url"], "file:///srv/caf\xc3\xa9\tx");
    EXPECT_EQ(document["artifacts"][3]["content"], "hello");
    EXPECT_FALSE(document["artifacts"][3].contains("url"));
    EXPECT_EQ(document["artifacts"][4]["link"], "inline");
    EXPECT_FALSE(document["artifacts"][4].contains("sha256"));
    EXPECT_EQ(text.find("secret"), std::string::npos);
}

TEST_F(LockTest, RoundTripsThroughFile)
{
    const auto file = dir() / "gapbundle.lock.json";
    ASSERT_TRUE(save_lock(sample(), file));
    auto loaded = load_lock(file);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(*loaded, sample());
    EXPECT_EQ(read_text(file), to_json(*loaded));
}

TEST_F(LockTest, RoundTripsEmptyLock)
{
    Lock lock;
    lock.name = "empty";
    lock.manifest_sha256 = k_sha_a;
    auto parsed = parse_lock(to_json(lock), "x");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
}

TEST_F(LockTest, RefusesToSaveUrlWithCredentials)
{
    auto lock = sample();
    lock.artifacts[1].url = "https://alice:s3cret@example.org/run";
    const auto file = dir() / "l.json";
    auto saved = save_lock(lock, file);
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().code, ErrorCode::manifest);
    EXPECT_EQ(saved.error().message, file.string() + ": artifacts[1] (files[0]): refusing to write a URL with "
                                                     "credentials: https://***@example.org/run");
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(LockTest, StripsCredentialsFromJson)
{
    auto lock = sample();
    lock.artifacts[1].url = "https://alice:s3cret@example.org/run";
    const auto text = to_json(lock);
    EXPECT_EQ(text.find("s3cret"), std::string::npos);
    EXPECT_EQ(text.find("alice"), std::string::npos);
    EXPECT_NE(text.find("\"https://example.org/run\""), std::string::npos);
}

TEST_F(LockTest, RejectsUrlWithCredentials)
{
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["url"] = "https://bob:pw@example.org/run"; }),
              "x.lock.json: artifacts[1]: 'url' must not carry credentials: 'https://***@example.org/run'");
}

TEST_F(LockTest, RejectsInvalidJson)
{
    auto lock = parse_lock("{\"version\": 1,", "x.lock.json");
    ASSERT_FALSE(lock);
    EXPECT_EQ(lock.error().code, ErrorCode::manifest);
    EXPECT_TRUE(lock.error().message.starts_with("x.lock.json: not valid JSON: parse error at line 1")) << lock.error().message;
}

TEST_F(LockTest, RejectsWrongVersion)
{
    EXPECT_EQ(error_after([](json& d) { d["version"] = 2; }), "x.lock.json: unsupported lock version 2 (expected 1)");
    EXPECT_EQ(error_after([](json& d) { d["version"] = "1"; }),
              "x.lock.json: unsupported lock version \"1\" (expected 1)");
}

TEST_F(LockTest, RejectsUnknownAndMissingKeys)
{
    EXPECT_EQ(error_after([](json& d) { d["extra"] = 1; }), "x.lock.json: the lock: unknown key 'extra'");
    EXPECT_EQ(error_after([](json& d) { d.erase("name"); }), "x.lock.json: the lock: missing 'name'");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0].erase("sha256"); }),
              "x.lock.json: artifacts[0]: missing 'sha256'");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["colour"] = "red"; }),
              "x.lock.json: artifacts[1]: unknown key 'colour'");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"] = json::object(); }), "x.lock.json: 'artifacts' must be a list");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0] = 3; }), "x.lock.json: artifacts[0] must be an object");
}

TEST_F(LockTest, RejectsBadSha256)
{
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["sha256"] = std::string(64, 'A'); }),
              "x.lock.json: artifacts[1]: 'sha256' must be 64 lowercase hex digits, got '" + std::string(64, 'A') + "'");
    EXPECT_EQ(error_after([](json& d) { d["manifest_sha256"] = "abc"; }),
              "x.lock.json: the lock: 'manifest_sha256' must be 64 lowercase hex digits, got 'abc'");
}

TEST_F(LockTest, RejectsUnsafeBundlePath)
{
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["bundle_path"] = "files/../../etc/passwd"; }),
              "x.lock.json: artifacts[1]: unsafe path 'files/../../etc/passwd': '.' or '..' component");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["bundle_path"] = "/etc/passwd"; }),
              "x.lock.json: artifacts[1]: unsafe path '/etc/passwd': absolute");
}

TEST_F(LockTest, RejectsUnsortedOrDuplicatePaths)
{
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["bundle_path"] = "files/configs/a.json"; }),
              "x.lock.json: artifacts[1]: bundle_path 'files/configs/a.json' appears twice");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][1]["bundle_path"] = "files/a"; }),
              "x.lock.json: artifacts[1]: bundle_path 'files/a' is out of order (artifacts are sorted by bundle_path)");
}

TEST_F(LockTest, RejectsWrongTypes)
{
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0]["size"] = -1; }),
              "x.lock.json: artifacts[0]: 'size' must be an unsigned integer");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0]["size"] = "12"; }),
              "x.lock.json: artifacts[0]: 'size' must be an unsigned integer");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0]["mode"] = 070000; }),
              "x.lock.json: artifacts[0]: 'mode' 28672 is not a file mode");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0]["kind"] = ""; }),
              "x.lock.json: artifacts[0]: 'kind' must be a non-empty string");
    EXPECT_EQ(error_after([](json& d) { d["artifacts"][0]["url"] = "ftp://example.org/a"; }),
              "x.lock.json: artifacts[0]: 'url' must be an http://, https:// or file:// URL, got 'ftp://example.org/a'");
}

TEST_F(LockTest, MissingFileIsIoError)
{
    auto lock = load_lock(dir() / "none.json");
    ASSERT_FALSE(lock);
    EXPECT_EQ(lock.error().code, ErrorCode::io);
    EXPECT_NE(lock.error().message.find((dir() / "none.json").string()), std::string::npos);
}

TEST_F(LockTest, LoadNamesTheFile)
{
    write_text(dir() / "l.json", "[]");
    auto lock = load_lock(dir() / "l.json");
    ASSERT_FALSE(lock);
    EXPECT_EQ(lock.error().message, (dir() / "l.json").string() + ": the lock must be an object");
}

TEST_F(LockTest, RoundTripsInlineContentAndRegistryLocations)
{
    Lock lock = sample();
    LockedArtifact blob{"images", "oci/blobs/sha256/" + k_sha_a, "oci://registry.local:5000/team/app/blobs/sha256:" + k_sha_a,
                        5, k_sha_a, 0644, "images[0]", std::nullopt, std::nullopt};
    LockedArtifact index{"images", "oci/index.json", "", 2, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                         0644, "images", "{}", std::nullopt};
    lock.artifacts.insert(lock.artifacts.end(), {index, blob});
    std::ranges::sort(lock.artifacts, {}, &LockedArtifact::bundle_path);
    const std::string text = to_json(lock);
    EXPECT_NE(text.find(R"("content": "{}")"), std::string::npos) << text;
    auto parsed = parse_lock(text, "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
}

TEST_F(LockTest, RejectsContentThatDoesNotMatchItsHash)
{
    Lock lock = demo_lock();
    LockedArtifact index{"images", "oci/index.json", "", 2, k_sha_a, 0644, "images", "{}", std::nullopt};
    lock.artifacts.push_back(index);
    auto parsed = parse_lock(to_json(lock), "x.lock.json");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "x.lock.json: artifacts[0]: 'content' does not match its size and sha256");
}

TEST_F(LockTest, RejectsMalformedRegistryLocations)
{
    for (const std::string& bad : std::vector<std::string>{"oci://r.io/blobs/sha256:" + k_sha_a, "oci://r.io/a/layers/sha256:" + k_sha_a,
                                  "oci://r.io/a/blobs/sha256:abc", "oci://r.io/a/blobs/md5:" + k_sha_a}) {
        EXPECT_EQ(error_after([&](json& d) { d["artifacts"][0]["url"] = bad; }),
                  "x.lock.json: artifacts[0]: malformed oci:// URL '" + bad + "'");
    }
}

TEST(OciUrl, SplitsRegistryRepositoryKindAndDigest)
{
    const std::string digest = "sha256:" + std::string(64, 'e');
    auto location = parse_oci_url("oci://127.0.0.1:5000/a/b/c/manifests/" + digest);
    ASSERT_TRUE(location);
    EXPECT_EQ(location->registry, "127.0.0.1:5000");
    EXPECT_EQ(location->repository, "a/b/c");
    EXPECT_TRUE(location->is_manifest);
    EXPECT_EQ(location->digest, digest);
    EXPECT_EQ(to_oci_url(*location), "oci://127.0.0.1:5000/a/b/c/manifests/" + digest);
    EXPECT_FALSE(parse_oci_url("https://r.io/a/blobs/" + digest));
}

}  // namespace
}  // namespace gapbundle::manifest

namespace gapbundle::manifest {
namespace {

Lock with_components()
{
    Lock lock = demo_lock();
    lock.artifacts.push_back({"pip", "pypi/files/a-1.0-py3-none-any.whl", "https://x/a.whl", 3, std::string(64, 'a'),
                              0644, "pip", std::nullopt, std::nullopt});
    lock.components.push_back({"pip", "a", "1.0", {"pypi/files/a-1.0-py3-none-any.whl"}, {"a>=1"}, {{"b", "b<2"}}, {}});
    return lock;
}

TEST(LockComponents, RoundTripAndOmittedWhenEmpty)
{
    const Lock lock = with_components();
    const std::string text = to_json(lock);
    EXPECT_NE(text.find("\"components\""), std::string::npos);
    auto parsed = parse_lock(text, "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
    Lock plain = lock;
    plain.components.clear();
    EXPECT_EQ(to_json(plain).find("components"), std::string::npos);
}

TEST(LockComponents, PlatformsRoundTripAndAreLeftOutWhenEmpty)
{
    Lock lock = with_components();
    EXPECT_EQ(to_json(lock).find("platforms"), std::string::npos);
    lock.components[0].platforms = {"linux/amd64", "linux/arm/v7"};
    const std::string text = to_json(lock);
    EXPECT_NE(text.find("\"platforms\""), std::string::npos);
    auto parsed = parse_lock(text, "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
    nlohmann::json document = nlohmann::json::parse(text);
    document["components"][0]["platforms"] = nlohmann::json::array({1});
    parsed = parse_lock(document.dump(), "x.lock.json");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "x.lock.json: components[0]: 'platforms' must be a list of non-empty strings");
}

TEST(LockComponents, RejectsPathsThatAreNotArtifacts)
{
    Lock lock = with_components();
    lock.components[0].paths = {"pypi/files/other.whl"};
    auto parsed = parse_lock(to_json(lock), "x.lock.json");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message,
              "x.lock.json: components[0]: 'pypi/files/other.whl' is not an artifact of the lock");
    nlohmann::json document = nlohmann::json::parse(to_json(with_components()));
    document["components"][0].erase("requested");
    parsed = parse_lock(document.dump(), "x.lock.json");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "x.lock.json: components[0]: missing 'requested'");
}

}  // namespace
}  // namespace gapbundle::manifest

namespace gapbundle::manifest {
namespace {

TEST(LockLinks, RoundTripAndChecks)
{
    Lock lock = demo_lock();
    LockedArtifact blob{"hf", "hf/hub/m/blobs/abc", "https://x/resolve/main/a", 3, std::string(64, 'a'), 0644, "hf[0]",
                        std::nullopt, std::nullopt};
    LockedArtifact link{"hf", "hf/hub/m/snapshots/c1/a", "", 0, "", 0, "hf[0]", std::nullopt, "../../blobs/abc"};
    lock.artifacts = {blob, link};
    const std::string text = to_json(lock);
    EXPECT_NE(text.find(R"("link": "../../blobs/abc")"), std::string::npos) << text;
    auto parsed = parse_lock(text, "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
    EXPECT_TRUE(parsed->artifacts[1].is_link());

    nlohmann::json document = nlohmann::json::parse(text);
    document["artifacts"][1]["link"] = "/etc/passwd";
    auto absolute = parse_lock(document.dump(), "x.lock.json");
    ASSERT_FALSE(absolute);
    EXPECT_EQ(absolute.error().message, "x.lock.json: artifacts[1]: 'link' must be a relative path, got '/etc/passwd'");
    document["artifacts"][1]["link"] = "../../blobs/abc";
    document["artifacts"][1]["sha256"] = std::string(64, 'a');
    auto extra = parse_lock(document.dump(), "x.lock.json");
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().message, "x.lock.json: artifacts[1]: unknown key 'sha256'");
}

}  // namespace
}  // namespace gapbundle::manifest

namespace gapbundle::manifest {
namespace {

// The lock is written piece by piece; its text must stay exactly json::dump(2) of itself (locks
// written before are hashed into bundles' lock_sha256), however many pieces it comes in.
TEST(LockText, IsJsonDumpOfItselfInBoundedPieces)
{
    Lock lock;
    lock.name = "caf\xc3\xa9 \"demo\"";
    lock.manifest_sha256 = std::string(64, 'c');
    lock.artifacts.push_back({"hf", "hf/hub/m/blobs/abc", "https://x/resolve/main/a", 3, std::string(64, 'a'), 0644,
                              "hf[0]", std::nullopt, std::nullopt});
    lock.artifacts.push_back(
        {"hf", "hf/hub/m/snapshots/c1/a", "", 0, "", 0, "hf[0]", std::nullopt, std::string("../../blobs/abc")});
    lock.artifacts.push_back({"images", "images/oci/index.json", "", 5, std::string(64, 'b'), 0644, "images[0]",
                              std::string("{\n  \"a\": [1, 2]\n}\n\t\xc3\xa9"), std::nullopt});
    for (int i = 0; i < 2000; ++i) {
        char path[40];
        std::snprintf(path, sizeof path, "wheels/p%05d.whl", i);
        lock.artifacts.push_back({"pip", path, "https://user:secret@pypi.example/p.whl", 9, std::string(64, 'd'), 0644,
                                  "pip", std::nullopt, std::nullopt});
    }
    lock.components.push_back({"pip", "p", "1.0", {"wheels/p00000.whl"}, {"p>=1"}, {{"q", "q<2; extra == \"x\""}}, {}});
    // Every shape a component takes: a folder's component lists every file (pieces stay bounded
    // inside it), an image's has platforms and several dependencies, and lists may be empty.
    Component folder{"files", "caf\xc3\xa9 \"odd\"\tname", "tree:" + std::string(64, 'e'), {}, {}, {}, {}};
    for (const auto& artifact : lock.artifacts) folder.paths.push_back(artifact.bundle_path);
    lock.components.push_back(std::move(folder));
    lock.components.push_back({"images", "img", "sha256:" + std::string(64, 'f'), {"images/oci/index.json"},
                               {"img:1", "img:2"}, {{"a", "a>=1"}, {"b", "\xff"}}, {"linux/amd64", "linux/arm/v7"}});
    lock.components.push_back({"pip", "z", "2", {}, {}, {}, {}});
    std::string pieces;
    std::size_t count = 0;
    write_json(lock, [&](std::string_view piece) {
        EXPECT_LE(piece.size(), (64u << 10) + 1024u);
        pieces += piece;
        ++count;
    });
    EXPECT_GT(count, 1u);
    EXPECT_EQ(pieces, to_json(lock));
    EXPECT_EQ(pieces, nlohmann::json::parse(pieces).dump(2) + "\n");
    EXPECT_EQ(pieces.find("secret"), std::string::npos);
    Lock empty;
    empty.name = "e";
    empty.manifest_sha256 = std::string(64, 'c');
    const std::string text = to_json(empty);
    EXPECT_EQ(text, nlohmann::json::parse(text).dump(2) + "\n");
    EXPECT_NE(text.find(R"("artifacts": [])"), std::string::npos);
}

// The parser takes each artifact, and each component's paths, out of the JSON tree as it meets
// them: what it leaves behind, and a list given twice, are still refused and named.
TEST(LockComponents, RefusesWhatTheStreamingParserLeavesBehind)
{
    const auto error_with = [](const std::string& paths) {
        nlohmann::json document = nlohmann::json::parse(to_json(with_components()));
        document["components"][0]["paths"] = nlohmann::json::parse(paths);
        auto parsed = parse_lock(document.dump(), "x.lock.json");
        return parsed ? std::string("(parsed)") : parsed.error().message;
    };
    const std::string where = "x.lock.json: components[0]: 'paths' must be a list of ";
    EXPECT_EQ(error_with(R"([1])"), where + "non-empty strings");
    EXPECT_EQ(error_with(R"([[""]])"), where + "non-empty strings");
    EXPECT_EQ(error_with(R"([""])"), where + "non-empty strings");
    EXPECT_EQ(error_with(R"("pypi/files/a.whl")"), where + "strings");
    EXPECT_EQ(error_with(R"({"p":"pypi/files/a.whl"})"), where + "strings");

    const std::string text = to_json(with_components());
    for (const std::string key : {"artifacts", "components"}) {
        const auto at = text.find("\"" + key + "\":");
        std::string twice = text;
        twice.insert(at, "\"" + key + "\": [],\n  ");
        auto parsed = parse_lock(twice, "x.lock.json");
        ASSERT_FALSE(parsed) << twice;
        EXPECT_EQ(parsed.error().message, "x.lock.json: '" + key + "' is given twice");
    }
}

}  // namespace
}  // namespace gapbundle::manifest

namespace gapbundle::manifest {
namespace {

// The URLs are held apart while the lock is read and given to their artifacts at the end: each
// must reach its own, whatever links and inline contents sit between, past the points where the
// buffer gives its pages back (every 4,096).
TEST(LockUrls, EachArtifactGetsItsOwnUrlWhateverSitsBetween)
{
    Lock lock = demo_lock();
    const std::string content_sha = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";  // "{}"
    char path[32];
    for (int i = 0; i < 9000; ++i) {
        std::snprintf(path, sizeof path, "files/p%05d", i);
        if (i % 7 == 3)
            lock.artifacts.push_back({"files", path, "", 0, "", 0, "files[0]", std::nullopt, "p00000"});
        else if (i % 11 == 5)
            lock.artifacts.push_back({"files", path, "", 2, content_sha, 0644, "files[0]", "{}", std::nullopt});
        else
            lock.artifacts.push_back({"files", path, "https://example.org/" + std::to_string(i) + std::string(i % 300, 'x'),
                                      1, k_sha_a, 0644, "files[0]", std::nullopt, std::nullopt});
    }
    auto parsed = parse_lock(to_json(lock), "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
}

TEST(LockUrls, AnArtifactsLastUrlKeyIsItsUrlAsInTheJsonTree)
{
    Lock lock = demo_lock();
    lock.artifacts.push_back({"files", "files/a", "https://example.org/a", 1, k_sha_a, 0644, "files[0]", std::nullopt, std::nullopt});
    lock.artifacts.push_back({"files", "files/b", "https://example.org/b", 1, k_sha_a, 0644, "files[0]", std::nullopt, std::nullopt});
    lock.artifacts.push_back({"files", "files/c", "https://example.org/c", 1, k_sha_a, 0644, "files[0]", std::nullopt, std::nullopt});
    std::string text = to_json(lock);
    const std::string last = R"("url": "https://example.org/b")";
    text.replace(text.find(last), last.size(), R"("url": "https://example.org/first", )" + last);
    auto parsed = parse_lock(text, "x.lock.json");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, lock);
    EXPECT_EQ(parsed->artifacts[1].url, "https://example.org/b");
}

}  // namespace
}  // namespace gapbundle::manifest
