// gapbundle diff compares two bundles, or their exported index.json files, without verifying them.
#include "trip_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class DiffTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        write_text(dir() / "data" / "model.bin", std::string(3000, 'w'));
        write_text(dir() / "data" / "sub" / "notes.txt", "notes\n");
        write_text(dir() / "data" / "keep.txt", "kept\n");
    }

    stdfs::path pack_night(std::uint64_t serial, const std::string& name)
    {
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                             "channel: nightly\nserial: " + std::to_string(serial) + "\n");
        const auto bundle = dir() / name;
        pack_ok(manifest, bundle);
        return bundle;
    }

    // Night 1, then night 2 with model.bin changed, new.txt added and keep.txt removed.
    std::pair<stdfs::path, stdfs::path> pack_two_nights()
    {
        const auto night1 = pack_night(1, "night1.tar.zst");
        write_text(dir() / "data" / "model.bin", std::string(3000, 'x'));
        write_text(dir() / "data" / "new.txt", "new file\n");
        stdfs::remove(dir() / "data" / "keep.txt");
        return {night1, pack_night(2, "night2.tar.zst")};
    }

    stdfs::path export_index(const stdfs::path& bundle)
    {
        auto exported = gapbundle({"inspect", "--index", bundle.string()});
        EXPECT_EQ(exported.status, 0) << exported.err;
        const auto path = stdfs::path(bundle.string() + ".index.json");
        write_text(path, exported.out);
        return path;
    }

    static std::string short_sha(const std::string& content) { return crypto::sha256_hex(content).substr(0, 12); }

    static void expect_text_diff(const RunResult& result)
    {
        ASSERT_EQ(result.status, 0) << result.out << result.err;
        const std::string expected_lines =
            "files (entries):\n"
            "  + files/data/new.txt " +
            short_sha("new file\n") +
            " (9 B)\n"
            "  - files/data/keep.txt " +
            short_sha("kept\n") +
            " (5 B)\n"
            "  ~ files/data/model.bin " +
            short_sha(std::string(3000, 'w')) + " → " + short_sha(std::string(3000, 'x')) + "\n";
        EXPECT_NE(result.out.find(expected_lines), std::string::npos) << result.out;
        EXPECT_TRUE(result.out.starts_with("UNVERIFIED: ")) << result.out;
        EXPECT_NE(result.out.find(": name trip, channel nightly, serial 1, created "), std::string::npos) << result.out;
        EXPECT_NE(result.out.find("1 added, 1 removed, 1 changed; payload 2.9 KiB → 2.9 KiB (+4 B)\n"),
                  std::string::npos)
            << result.out;
        EXPECT_EQ(result.out.find("gapbundle/SHA256SUMS"), std::string::npos) << result.out;
        EXPECT_EQ(result.out.find("notes.txt"), std::string::npos) << result.out;
    }

    static void expect_json_diff(const RunResult& result, const std::string& source)
    {
        ASSERT_EQ(result.status, 0) << result.out << result.err;
        const auto doc = json_of(result);
        EXPECT_EQ(doc.at("command"), "diff");
        EXPECT_EQ(doc.at("result"), "ok");
        EXPECT_EQ(doc.at("verified"), false);
        EXPECT_EQ(doc.at("old").at("serial"), 1);
        EXPECT_EQ(doc.at("new").at("serial"), 2);
        EXPECT_EQ(doc.at("new").at("channel"), "nightly");
        EXPECT_EQ(doc.at("new").at("name"), "trip");
        EXPECT_EQ(doc.at("old").at("source"), source);
        EXPECT_EQ(doc.at("old").at("index_sha256").get<std::string>().size(), 64u);
        EXPECT_EQ(doc.at("kinds"), nlohmann::json::object());
        ASSERT_EQ(doc.at("entries").size(), 1u) << doc.dump();
        const auto& files = doc.at("entries").at("files");
        EXPECT_EQ(
            files.at("added"),
            nlohmann::json::parse(R"([{"path":"files/data/new.txt","type":"file","size":9,"mode":420,"sha256":")" +
                                  crypto::sha256_hex("new file\n") + "\"}]"));
        ASSERT_EQ(files.at("removed").size(), 1u);
        EXPECT_EQ(files.at("removed")[0].at("path"), "files/data/keep.txt");
        ASSERT_EQ(files.at("changed").size(), 1u);
        EXPECT_EQ(files.at("changed")[0].at("path"), "files/data/model.bin");
        EXPECT_EQ(files.at("changed")[0].at("old").at("sha256"), crypto::sha256_hex(std::string(3000, 'w')));
        EXPECT_EQ(files.at("changed")[0].at("new").at("sha256"), crypto::sha256_hex(std::string(3000, 'x')));
        EXPECT_EQ(doc.at("summary"),
                  nlohmann::json::parse(
                      R"({"added":1,"removed":1,"changed":1,"old_bytes":3011,"new_bytes":3015,"bytes_change":4})"));
    }
};

TEST_F(DiffTest, ListsTheFilesAddedRemovedAndChangedBetweenTwoBundles)
{
    const auto [night1, night2] = pack_two_nights();
    expect_text_diff(gapbundle({"diff", night1.string(), night2.string()}));
    expect_json_diff(gapbundle({"--json", "diff", night1.string(), night2.string()}), "bundle");

    auto same = gapbundle({"diff", night2.string(), night2.string()});
    ASSERT_EQ(same.status, 0) << same.err;
    EXPECT_NE(same.out.find("0 added, 0 removed, 0 changed; payload 2.9 KiB → 2.9 KiB (+0 B)\nno differences\n"),
              std::string::npos)
        << same.out;
}

TEST_F(DiffTest, ComparesExportedIndexesAndMixesThemWithBundles)
{
    const auto [night1, night2] = pack_two_nights();
    const auto index1 = export_index(night1);
    const auto index2 = export_index(night2);
    expect_text_diff(gapbundle({"diff", index1.string(), index2.string()}));
    expect_json_diff(gapbundle({"--json", "diff", index1.string(), index2.string()}), "index");
    expect_json_diff(gapbundle({"--json", "diff", index1.string(), night2.string()}), "index");

    auto reversed = gapbundle({"--json", "diff", night2.string(), index1.string()});
    ASSERT_EQ(reversed.status, 0) << reversed.err;
    const auto files = json_of(reversed).at("entries").at("files");
    EXPECT_EQ(files.at("added")[0].at("path"), "files/data/keep.txt");
    EXPECT_EQ(files.at("removed")[0].at("path"), "files/data/new.txt");
    EXPECT_EQ(json_of(reversed).at("new").at("source"), "index");
    EXPECT_EQ(json_of(reversed).at("summary").at("bytes_change"), -4);
}

TEST_F(DiffTest, NamesAMissingOrBrokenFile)
{
    const auto night1 = pack_night(1, "night1.tar");
    const auto missing = dir() / "missing.tar";
    auto gone = gapbundle({"diff", night1.string(), missing.string()});
    EXPECT_EQ(gone.status, 4);
    EXPECT_EQ(gone.out, "");
    EXPECT_EQ(gone.err, "gapbundle: error: " + missing.string() + ": cannot open: No such file or directory\n");

    write_text(dir() / "junk.tar", "not a bundle at all");
    auto junk = gapbundle({"--json", "diff", (dir() / "junk.tar").string(), night1.string()});
    EXPECT_EQ(junk.status, 1) << junk.err;
    EXPECT_NE(junk.err.find("gapbundle: error: " + (dir() / "junk.tar").string()), std::string::npos) << junk.err;
    EXPECT_EQ(json_of(junk).at("result"), "error");
    EXPECT_EQ(json_of(junk).at("exit_code"), 1);

    write_text(dir() / "broken.json", "{\"format\": 1,");
    auto broken = gapbundle({"diff", night1.string(), (dir() / "broken.json").string()});
    EXPECT_EQ(broken.status, 1) << broken.err;
    EXPECT_TRUE(broken.err.starts_with("gapbundle: error: " + (dir() / "broken.json").string() + ": ")) << broken.err;
}

}  // namespace
}  // namespace gapbundle::testing
