// pack --base writes a delta that carries only what the base bundle lacks; unpack --store fills
// in the rest from the base release, hashing every file it copies.
#include "trip_fixture.hpp"

#include "support/cyclonedx_schema.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <map>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class DeltaTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        write_text(dir() / "data" / "model.bin", std::string(300000, 'w'));
        write_text(dir() / "data" / "sub" / "notes.txt", "notes\n");
        write_text(dir() / "data" / "keep.txt", "kept\n");
        write_text(dir() / "data" / "weights.bin", std::string(300000, 'u'));  // never changes
    }

    stdfs::path pack_night(std::uint64_t serial, const std::string& name, const std::vector<std::string>& extra = {},
                           const std::string& channel = "nightly")
    {
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                             "channel: " + channel + "\nserial: " + std::to_string(serial) + "\n");
        const auto bundle = dir() / name;
        pack_ok(manifest, bundle, extra);
        return bundle;
    }

    RunResult unpack_store(const stdfs::path& bundle, const stdfs::path& store)
    {
        return gapbundle({"--json", "unpack", bundle.string(), "--trust", pub().string(), "--store", store.string()});
    }

    // Every file below `root` and its bytes, but the signed index and its signatures, which name
    // the base in a delta.
    static std::map<std::string, std::string> payload(const stdfs::path& root)
    {
        std::map<std::string, std::string> files;
        for (const auto& item : stdfs::recursive_directory_iterator(root)) {
            const auto relative = item.path().lexically_relative(root).generic_string();
            if (relative == "gapbundle/index.json" || relative == "gapbundle/index.json.sig") continue;
            files[relative] = item.is_regular_file() ? read_text(item.path()) : std::string("<folder>");
        }
        return files;
    }

    // The delta unpacks into the store (night 1 there) to the tree the full bundle unpacks to.
    void expect_same_release_as_full(const stdfs::path& delta, const stdfs::path& full_bundle)
    {
        auto unpacked = unpack_store(delta, store());
        ASSERT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
        // With a state of its own: this gap side accepted the delta's index for serial 2.
        auto full = gapbundle({"unpack", full_bundle.string(), "--trust", pub().string(), "--to",
                               (dir() / "full").string(), "--state-dir", (dir() / "other-state").string()});
        ASSERT_EQ(full.status, 0) << full.err;
        EXPECT_EQ(payload(release(2)), payload(dir() / "full"));
    }

    [[nodiscard]] stdfs::path store() const { return dir() / "store"; }
    [[nodiscard]] stdfs::path release(std::uint64_t serial) const
    {
        return store() / "releases" / "nightly" / std::to_string(serial);
    }
};

TEST_F(DeltaTest, ADeltaCarriesOnlyWhatChangedAndUnpacksToTheFullTree)
{
    const auto night1 = pack_night(1, "night1.tar");
    ASSERT_EQ(unpack_store(night1, store()).status, 0);

    write_text(dir() / "data" / "model.bin", std::string(300000, 'x'));
    write_text(dir() / "data" / "new.txt", "new\n");
    const auto full2 = pack_night(2, "full2.tar");
    auto packed = gapbundle({"--json", "pack", (dir() / "manifest.yaml").string(), "--key", key().string(), "-o",
                             (dir() / "delta2.tar").string(), "--cache-dir", cache().string(), "--base", night1.string()});
    ASSERT_EQ(packed.status, 0) << packed.out << packed.err;
    const auto doc = json_of(packed);
    EXPECT_EQ(doc.at("base_serial"), 1);
    EXPECT_EQ(doc.at("files"), 2);  // model.bin, new.txt (and SHA256SUMS, which lists them)
    EXPECT_EQ(doc.at("files_from_base"), 3);  // keep.txt, sub/notes.txt, weights.bin
    const auto delta2 = dir() / "delta2.tar";
    EXPECT_LT(stdfs::file_size(delta2) + 290000, stdfs::file_size(full2));

    auto inspected = gapbundle({"inspect", delta2.string()});
    ASSERT_EQ(inspected.status, 0) << inspected.err;
    EXPECT_NE(inspected.out.find("delta on: serial 1"), std::string::npos) << inspected.out;
    EXPECT_NE(inspected.out.find("files/data/keep.txt (from the base: files/data/keep.txt)"), std::string::npos)
        << inspected.out;

    auto verified = gapbundle({"verify", delta2.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("a delta on serial 1: 3 more files"), std::string::npos) << verified.out;

    auto unpacked = unpack_store(delta2, store());
    ASSERT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
    EXPECT_EQ(json_of(unpacked).at("files_written"), 7);  // the 5 data files, SHA256SUMS and the SBOM
    EXPECT_EQ(stdfs::read_symlink(store() / "current" / "nightly"), "../releases/nightly/2");

    // With a state of its own: this gap side accepted the delta's index for serial 2, and the full
    // bundle's index is another one (equivocation, rightly).
    auto full = gapbundle({"unpack", full2.string(), "--trust", pub().string(), "--to", (dir() / "full").string(),
                           "--state-dir", (dir() / "other-state").string()});
    ASSERT_EQ(full.status, 0) << full.err;
    const auto from_delta = payload(release(2));
    EXPECT_EQ(from_delta, payload(dir() / "full"));
    EXPECT_EQ(from_delta.at("files/data/model.bin"), std::string(300000, 'x'));
    EXPECT_EQ(from_delta.at("files/data/sub/notes.txt"), "notes\n");
    // Night 1 is untouched, and the copies are files of their own.
    EXPECT_EQ(read_text(release(1) / "files" / "data" / "model.bin"), std::string(300000, 'w'));
    write_text(release(1) / "files" / "data" / "keep.txt", "changed in night 1 only");
    EXPECT_EQ(read_text(release(2) / "files" / "data" / "keep.txt"), "kept\n");

    // Once its release is made, the delta no longer needs the base: gc may remove it, and the
    // delta unpacked again is verified against the release that is there.
    ASSERT_EQ(gapbundle({"gc", "--store", store().string()}).status, 0);
    EXPECT_FALSE(stdfs::exists(release(1)));
    auto again = unpack_store(delta2, store());
    ASSERT_EQ(again.status, 0) << again.out << again.err;
    EXPECT_TRUE(json_of(again).at("already_there").get<bool>());
    EXPECT_EQ(json_of(again).at("files_unchanged"), 7);
    EXPECT_EQ(payload(release(2)), payload(dir() / "full"));
    expect_no_staging_left();
}

// Issue 10's nightly cycle: night 2 as a delta on night 1 and as a full bundle; carried across and
// unpacked in order they give the same release; both nights' SBOMs are valid CycloneDX; diff names
// exactly the two changes, whether it reads the delta, the full bundle or an exported index.
TEST_F(DeltaTest, TheNightlyCycleDeltaSbomAndDiffAgree)
{
    const auto night1 = pack_night(1, "night1.tar");
    write_text(dir() / "data" / "model.bin", std::string(300000, 'x'));
    write_text(dir() / "data" / "sub" / "notes.txt", "notes, night 2\n");
    const auto full2 = pack_night(2, "full2.tar");
    const auto delta2 = pack_night(2, "delta2.tar", {"--base", night1.string()});

    ASSERT_EQ(unpack_store(night1, store()).status, 0);
    expect_same_release_as_full(delta2, full2);

    for (const auto& tree : {release(1), release(2)}) {
        const auto checked = validate_cyclonedx(tree / "gapbundle" / "sbom.cdx.json", dir());
        EXPECT_EQ(checked.status, 0) << tree << checked.err;
    }
    const auto sbom2 = nlohmann::json::parse(read_text(release(2) / "gapbundle" / "sbom.cdx.json"));
    bool listed = false;
    for (const auto& item : sbom2.at("components"))
        if (item.at("name") == "files/data/model.bin")
            listed = item.at("hashes")[0].at("content") == crypto::sha256_hex(std::string(300000, 'x'));
    EXPECT_TRUE(listed) << sbom2.at("components");

    auto exported = gapbundle({"inspect", "--index", night1.string()});
    ASSERT_EQ(exported.status, 0);
    write_text(dir() / "night1.index.json", exported.out);
    const auto changes = [&](const stdfs::path& old_side, const stdfs::path& new_side) {
        auto diffed = gapbundle({"--json", "diff", old_side.string(), new_side.string()});
        EXPECT_EQ(diffed.status, 0) << diffed.err;
        const auto doc = json_of(diffed);
        return nlohmann::json{{"kinds", doc.at("kinds")}, {"entries", doc.at("entries")}, {"summary", doc.at("summary")}};
    };
    const auto against_full = changes(night1, full2);
    EXPECT_EQ(changes(night1, delta2), against_full);
    EXPECT_EQ(changes(dir() / "night1.index.json", delta2), against_full);
    const auto& files = against_full.at("entries").at("files");
    EXPECT_TRUE(files.at("added").empty());
    EXPECT_TRUE(files.at("removed").empty());
    std::vector<std::string> changed;
    for (const auto& item : files.at("changed")) changed.push_back(item.at("path"));
    EXPECT_EQ(changed, (std::vector<std::string>{"files/data/model.bin", "files/data/sub/notes.txt"}));
}

// The nightly cycle carried in volumes (pack --split-size): both nights split, a volume of the
// delta lost, swapped and damaged on the way is named and nothing is unpacked; carried whole, the
// volumes unpack in order to the same release as the full night-2 bundle.
TEST_F(DeltaTest, TheNightlyCycleInVolumesNamesALostSwappedOrDamagedVolume)
{
    const std::vector<std::string> split{"--split-size", "128K"};
    const auto packed1 = gapbundle({"--json", "pack", write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                                                     "channel: nightly\nserial: 1\n")
                                                          .string(),
                                    "--key", key().string(), "-o", (dir() / "night1.tar").string(), "--cache-dir",
                                    cache().string(), "--split-size", "128K"});
    ASSERT_EQ(packed1.status, 0) << packed1.out << packed1.err;
    const auto night1 = dir() / "night1.tar.000";
    EXPECT_EQ(json_of(packed1).at("bundle"), night1.string());
    const auto volumes1 = json_of(packed1).at("volumes");
    ASSERT_GE(volumes1.size(), 4u) << packed1.out;
    for (std::size_t i = 0; i < volumes1.size(); ++i) {
        const stdfs::path path = volumes1[i].at("path").get<std::string>();
        EXPECT_EQ(path, dir() / ("night1.tar.00" + std::to_string(i + 1)));
        EXPECT_EQ(stdfs::file_size(path), volumes1[i].at("size").get<std::uint64_t>());
        EXPECT_LT(stdfs::file_size(path), 128u << 10);
        EXPECT_EQ(crypto::sha256_hex(read_text(path)), volumes1[i].at("sha256"));
    }
    EXPECT_FALSE(stdfs::exists(dir() / "night1.tar"));
    auto inspected = gapbundle({"inspect", night1.string()});
    EXPECT_NE(inspected.out.find("volumes:  this head and " + std::to_string(volumes1.size()) + " more"),
              std::string::npos)
        << inspected.out;

    write_text(dir() / "data" / "model.bin", std::string(300000, 'x'));
    write_text(dir() / "data" / "sub" / "notes.txt", "notes, night 2\n");
    const auto full2 = pack_night(2, "full2.tar");
    std::vector<std::string> delta_flags{"--base", night1.string()};
    delta_flags.insert(delta_flags.end(), split.begin(), split.end());
    pack_night(2, "delta2.tar", delta_flags);
    const auto delta2 = dir() / "delta2.tar.000";
    std::vector<stdfs::path> volumes2;
    for (std::size_t i = 1; stdfs::exists(dir() / ("delta2.tar.00" + std::to_string(i))); ++i)
        volumes2.push_back(dir() / ("delta2.tar.00" + std::to_string(i)));
    ASSERT_GE(volumes2.size(), 2u);

    ASSERT_EQ(unpack_store(night1, store()).status, 0);
    const auto refused = [&](const stdfs::path& culprit) {
        auto unpacked = unpack_store(delta2, store());
        EXPECT_EQ(unpacked.status, 1) << unpacked.out << unpacked.err;
        const auto problems = json_of(unpacked).at("problems");
        ASSERT_FALSE(problems.empty()) << unpacked.out;
        EXPECT_EQ(problems[0].at("kind"), "volume") << unpacked.out;
        EXPECT_EQ(problems[0].at("path"), culprit.string()) << unpacked.out;
        EXPECT_FALSE(stdfs::exists(release(2)));
        EXPECT_EQ(stdfs::read_symlink(store() / "current" / "nightly"), "../releases/nightly/1");
        expect_no_staging_left();
    };
    const auto first = read_text(volumes2[0]);
    const auto second = read_text(volumes2[1]);

    stdfs::rename(volumes2[1], dir() / "aside");
    refused(volumes2[1]);
    stdfs::rename(dir() / "aside", volumes2[1]);

    write_text(volumes2[0], second.substr(0, first.size()) + first.substr(std::min(first.size(), second.size())));
    write_text(volumes2[1], first.substr(0, second.size()) + second.substr(std::min(first.size(), second.size())));
    refused(volumes2[0]);
    write_text(volumes2[0], first);
    write_text(volumes2[1], second);

    std::string damaged = second;
    damaged[damaged.size() / 3] = static_cast<char>(damaged[damaged.size() / 3] ^ 0x40);
    write_text(volumes2[1], damaged);
    refused(volumes2[1]);
    write_text(volumes2[1], second);

    expect_same_release_as_full(delta2, full2);

    // The first volume is all diff needs, as it is all pack --base needs.
    auto diffed = gapbundle({"--json", "diff", night1.string(), delta2.string()});
    ASSERT_EQ(diffed.status, 0) << diffed.err;
    const auto diff_doc = json_of(diffed);
    std::vector<std::string> changed;
    for (const auto& item : diff_doc.at("entries").at("files").at("changed")) changed.push_back(item.at("path"));
    EXPECT_EQ(changed, (std::vector<std::string>{"files/data/model.bin", "files/data/sub/notes.txt"}));

    auto tiny = gapbundle({"pack", (dir() / "manifest.yaml").string(), "--key", key().string(), "-o",
                           (dir() / "tiny.tar").string(), "--cache-dir", cache().string(), "--split-size", "1K"});
    EXPECT_EQ(tiny.status, 2) << tiny.err;
    EXPECT_NE(tiny.err.find("--split-size 1K: expected a size of at least 64K"), std::string::npos) << tiny.err;
    EXPECT_FALSE(stdfs::exists(dir() / "tiny.tar.000"));
}

TEST_F(DeltaTest, ADeltaNeedsItsOwnBaseReleaseAndChecksEveryFileItCopies)
{
    const auto night1 = pack_night(1, "night1.tar");
    write_text(dir() / "data" / "new.txt", "new\n");
    const auto delta2 = pack_night(2, "delta2.tar", {"--base", night1.string()});

    // Not into a plain folder: the files it does not carry are nowhere there.
    auto to = gapbundle({"unpack", delta2.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    EXPECT_EQ(to.status, 2) << to.out << to.err;
    EXPECT_NE(to.err.find("is a delta on serial 1"), std::string::npos) << to.err;
    EXPECT_FALSE(stdfs::exists(dir() / "out"));

    // Not into a store without the base.
    auto empty = unpack_store(delta2, store());
    EXPECT_EQ(empty.status, 2) << empty.out << empty.err;
    EXPECT_NE(empty.err.find("base serial 1 not in the store"), std::string::npos) << empty.err;
    EXPECT_FALSE(stdfs::exists(release(2)));

    ASSERT_EQ(unpack_store(night1, store()).status, 0);
    // A base release whose index is not the one the delta names (another release's, or not an index
    // at all): named, and nothing moves. One that cannot be read: an I/O error naming it.
    const auto base_index = release(1) / "gapbundle" / "index.json";
    const std::string signed_index = read_text(base_index);
    std::string other_release = signed_index;
    other_release.replace(other_release.find("\"name\":\""), 8, "\"name\":\"x");
    for (const std::string& text : {other_release, std::string("{")}) {
        write_text(base_index, text);
        auto wrong = unpack_store(delta2, store());
        EXPECT_EQ(wrong.status, 1) << wrong.out << wrong.err;
        const auto problems = json_of(wrong).at("problems");
        ASSERT_EQ(problems.size(), 1u) << wrong.out;
        EXPECT_EQ(problems[0].at("kind"), "base");
        EXPECT_NE(problems[0].at("message").get<std::string>().find(
                      "is not the release this delta builds on (its index sha256 is " + crypto::sha256_hex(text)),
                  std::string::npos)
            << wrong.out;
        EXPECT_FALSE(stdfs::exists(release(2)));
    }
    stdfs::remove(base_index);
    stdfs::create_directory(base_index);
    auto unreadable = unpack_store(delta2, store());
    EXPECT_EQ(unreadable.status, 4) << unreadable.out << unreadable.err;
    EXPECT_NE(unreadable.err.find(base_index.string() + ": is a folder"), std::string::npos) << unreadable.err;
    EXPECT_FALSE(stdfs::exists(release(2)));
    stdfs::remove(base_index);
    write_text(base_index, signed_index);

    // A base release whose file changed since: the copy fails its hash, and nothing moves.
    write_text(release(1) / "files" / "data" / "sub" / "notes.txt", "edited\n");
    auto tampered = unpack_store(delta2, store());
    EXPECT_EQ(tampered.status, 1) << tampered.out << tampered.err;
    const auto problems = json_of(tampered).at("problems");
    ASSERT_EQ(problems.size(), 1u) << tampered.out;
    EXPECT_EQ(problems[0].at("kind"), "hash");
    EXPECT_EQ(problems[0].at("path"), "files/data/sub/notes.txt");
    EXPECT_FALSE(stdfs::exists(release(2)));
    EXPECT_EQ(stdfs::read_symlink(store() / "current" / "nightly"), "../releases/nightly/1");

    // A file removed from the base release, or replaced by a symlink, is named too.
    stdfs::remove(release(1) / "files" / "data" / "sub" / "notes.txt");
    stdfs::create_symlink("../keep.txt", release(1) / "files" / "data" / "sub" / "notes.txt");
    auto linked = unpack_store(delta2, store());
    EXPECT_EQ(linked.status, 1) << linked.out << linked.err;
    EXPECT_EQ(json_of(linked).at("problems")[0].at("kind"), "base");
    EXPECT_FALSE(stdfs::exists(release(2)));
    expect_no_staging_left();
}

TEST_F(DeltaTest, AnUnchangedManifestMakesADeltaOfTheIndexAndSignaturesAlone)
{
    const auto night1 = pack_night(1, "night1.tar");
    const auto same = pack_night(2, "delta2.tar", {"--base", night1.string()});
    auto index = gapbundle({"inspect", "--index", same.string()});
    ASSERT_EQ(index.status, 0);
    // The tar holds index.json and its signatures (one signature: under 512 bytes), each a header
    // and its data in 512-byte records, a header for each of the 4 folders, and the end marker:
    // not one file.
    const auto records = [](std::uint64_t bytes) { return (bytes + 511) / 512 * 512; };
    const std::uint64_t ceiling = 512 + records(index.out.size()) + 512 + 512 + 4 * 512 + 1024;
    EXPECT_LE(stdfs::file_size(same), ceiling);
    auto verified = gapbundle({"--json", "verify", same.string(), "--trust", pub().string()});
    ASSERT_EQ(verified.status, 0) << verified.out;
    EXPECT_EQ(json_of(verified).at("files"), 0);
    EXPECT_EQ(json_of(verified).at("from_base"), 6);  // the 4 files, SHA256SUMS and the SBOM

    ASSERT_EQ(unpack_store(night1, store()).status, 0);
    auto unpacked = unpack_store(same, store());
    ASSERT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
    EXPECT_EQ(payload(release(2)), payload(release(1)));
}

TEST_F(DeltaTest, RehearseAsksForTheFullBundleNotTheDelta)
{
    const auto night1 = pack_night(1, "night1.tar");
    write_text(dir() / "data" / "keep.txt", "changed\n");
    const auto delta = pack_night(2, "delta2.tar", {"--base", night1.string()});
    stdfs::create_directories(dir() / "work");
    auto rehearsed =
        gapbundle({"rehearse", delta.string(), "--trust", pub().string(), "--work-dir", (dir() / "work").string()});
    EXPECT_EQ(rehearsed.status, 2) << rehearsed.out << rehearsed.err;
    EXPECT_NE(rehearsed.err.find("delta2.tar is a delta on serial 1: rehearse the full bundle"), std::string::npos)
        << rehearsed.err;
    EXPECT_TRUE(stdfs::is_empty(dir() / "work"));
}

TEST_F(DeltaTest, AnExportedIndexIsAsGoodABaseAsTheBundle)
{
    const auto night1 = pack_night(1, "night1.tar");
    auto exported = gapbundle({"inspect", "--index", night1.string()});
    ASSERT_EQ(exported.status, 0) << exported.err;
    write_text(dir() / "night1.index.json", exported.out);
    write_text(dir() / "data" / "new.txt", "new\n");
    const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n", "channel: nightly\nserial: 2\n");
    const std::vector<std::string> epoch{"SOURCE_DATE_EPOCH=1767225600"};
    for (const auto& [base, out] :
         {std::pair{night1, dir() / "a.tar"}, std::pair{dir() / "night1.index.json", dir() / "b.tar"}}) {
        auto packed = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", out.string(), "--cache-dir",
                                 cache().string(), "--base", base.string()},
                                epoch);
        ASSERT_EQ(packed.status, 0) << packed.err;
    }
    EXPECT_EQ(read_text(dir() / "a.tar"), read_text(dir() / "b.tar"));
}

TEST_F(DeltaTest, RefusesABaseOnAnotherChannelNotOlderOrNotABundle)
{
    const auto other = pack_night(1, "other.tar", {}, "weekly");
    const auto later = pack_night(5, "later.tar");
    const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n", "channel: nightly\nserial: 2\n");
    const auto pack_on = [&](const stdfs::path& base) {
        return gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", (dir() / "d.tar").string(),
                          "--cache-dir", cache().string(), "--base", base.string()});
    };
    auto channel = pack_on(other);
    EXPECT_EQ(channel.status, 2);
    EXPECT_NE(channel.err.find("on channel 'weekly', not this bundle's 'nightly'"), std::string::npos) << channel.err;

    auto newer = pack_on(later);
    EXPECT_EQ(newer.status, 2);
    EXPECT_NE(newer.err.find("serial 5 is not older than this bundle's 2"), std::string::npos) << newer.err;

    write_text(dir() / "junk.tar", "not a bundle at all");
    auto junk = pack_on(dir() / "junk.tar");
    EXPECT_EQ(junk.status, 2) << junk.err;
    EXPECT_NE(junk.err.find("--base " + (dir() / "junk.tar").string()), std::string::npos) << junk.err;
    EXPECT_FALSE(stdfs::exists(dir() / "d.tar"));
}

}  // namespace
}  // namespace gapbundle::testing

namespace gapbundle::testing {
namespace {

// A file the base holds under several paths is named by the first of them, in path order: what
// the base's index lists first, whichever way pack keeps the base.
TEST_F(DeltaTest, AFileTheBaseHoldsTwiceIsNamedByItsFirstPath)
{
    write_text(dir() / "data" / "dup-b.txt", "same bytes\n");
    write_text(dir() / "data" / "dup-a.txt", "same bytes\n");
    const auto night1 = pack_night(1, "night1.tar");
    write_text(dir() / "data" / "zz.txt", "same bytes\n");
    const auto night2 = pack_night(2, "night2.tar", {"--base", night1.string()});
    auto exported = gapbundle({"inspect", "--index", night2.string()});
    ASSERT_EQ(exported.status, 0) << exported.err;
    std::map<std::string, std::string> base_paths;
    const auto index = nlohmann::json::parse(exported.out);
    for (const auto& entry : index.at("entries"))
        if (entry.contains("base_path"))
            base_paths[entry.at("path").get<std::string>()] = entry.at("base_path").get<std::string>();
    ASSERT_TRUE(base_paths.contains("files/data/zz.txt")) << exported.out;
    EXPECT_EQ(base_paths.at("files/data/zz.txt"), "files/data/dup-a.txt");
    EXPECT_EQ(base_paths.at("files/data/dup-b.txt"), "files/data/dup-a.txt");
    EXPECT_EQ(base_paths.at("files/data/weights.bin"), "files/data/weights.bin");
}

}  // namespace
}  // namespace gapbundle::testing
