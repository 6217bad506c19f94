// unpack --store and gc through the real binary: releases side by side, current/<channel>
// switched only by a bundle that passed, and gc removing what current no longer uses.
#include "trip_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class ReleaseStoreTest : public TripTest {
protected:
    stdfs::path pack_serial(std::uint64_t serial, const std::string& content)
    {
        write_text(dir() / "data" / "model.bin", content);
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                             "channel: nightly\nserial: " + std::to_string(serial) + "\n");
        const auto bundle = dir() / ("b" + std::to_string(serial) + ".tar");
        pack_ok(manifest, bundle);
        return bundle;
    }

    RunResult unpack(const stdfs::path& bundle, const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> args{"--json", "unpack", bundle.string(), "--trust", pub().string(), "--store",
                                      store().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args);
    }

    [[nodiscard]] stdfs::path store() const { return dir() / "store"; }
    [[nodiscard]] stdfs::path current() const { return store() / "current" / "nightly"; }
    [[nodiscard]] std::string current_model() const { return read_text(current() / "files" / "data" / "model.bin"); }
    [[nodiscard]] std::vector<std::string> releases() const
    {
        std::vector<std::string> names;
        for (const auto& entry : stdfs::directory_iterator(store() / "releases" / "nightly"))
            names.push_back(entry.path().filename().string());
        std::ranges::sort(names);
        return names;
    }
};

TEST_F(ReleaseStoreTest, EachBundleLandsBesideThePreviousAndCurrentSwitchesToIt)
{
    const auto one = pack_serial(1, "first weights");
    auto result = unpack(one);
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    EXPECT_EQ(json_of(result).at("release"), (store() / "releases" / "nightly" / "1").string());
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/1");
    EXPECT_EQ(current_model(), "first weights");

    const auto two = pack_serial(2, "second weights");
    ASSERT_EQ(unpack(two).status, 0);
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/2");
    EXPECT_EQ(current_model(), "second weights");
    EXPECT_EQ(releases(), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(read_text(store() / "releases" / "nightly" / "1" / "files" / "data" / "model.bin"), "first weights");

    // The same bundle again: verified, nothing written, still current.
    result = unpack(two);
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    EXPECT_TRUE(json_of(result).at("already_there").get<bool>());
    EXPECT_EQ(json_of(result).at("files_written"), 0);
}

TEST_F(ReleaseStoreTest, ABundleThatFailsChangesNothing)
{
    ASSERT_EQ(unpack(pack_serial(1, "first weights")).status, 0);
    const auto two = pack_serial(2, "second weights");
    flip_byte(two, find_bytes(two, "second weights"));
    auto result = unpack(two);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/1");
    EXPECT_EQ(current_model(), "first weights");
    EXPECT_EQ(releases(), (std::vector<std::string>{"1"}));
    expect_no_staging_left();

    // An older serial is a rollback here too; with --allow-downgrade current moves back.
    ASSERT_EQ(unpack(pack_serial(3, "third weights")).status, 0);
    auto older = unpack(dir() / "b1.tar");
    EXPECT_EQ(older.status, 1) << older.out;
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/3");
    ASSERT_EQ(unpack(dir() / "b1.tar", {"--allow-downgrade"}).status, 0);
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/1");
}

// A run killed after current/ switched but before the channel state was written: the next run
// rolls the state forward to the release current/ names before deciding anything from it.
TEST_F(ReleaseStoreTest, TheStateCatchesUpWithCurrentAfterACrash)
{
    const auto one = pack_serial(1, "first weights");
    ASSERT_EQ(unpack(one).status, 0);
    const auto state_file = dir() / ".state" / "channels" / "nightly.json";
    const std::string state_after_one = read_text(state_file);
    ASSERT_EQ(unpack(pack_serial(2, "second weights")).status, 0);
    write_text(state_file, state_after_one);  // as if killed before the record of serial 2

    auto again = unpack(one);  // the same bundle as the state's record: accepted, were it not for current/
    EXPECT_EQ(again.status, 1) << again.out;
    EXPECT_NE(again.out.find("rollback"), std::string::npos) << again.out;
    EXPECT_EQ(nlohmann::json::parse(read_text(state_file)).at("serial"), 2);
    EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/2");
}

TEST_F(ReleaseStoreTest, GcRemovesWhatCurrentDoesNotUseButTheNewestKept)
{
    for (std::uint64_t serial : {1, 2, 3, 4}) ASSERT_EQ(unpack(pack_serial(serial, "w" + std::to_string(serial))).status, 0);
    auto kept = gapbundle({"--json", "gc", "--store", store().string(), "--keep", "1"});
    ASSERT_EQ(kept.status, 0) << kept.err;
    EXPECT_EQ(releases(), (std::vector<std::string>{"3", "4"}));
    EXPECT_EQ(json_of(kept).at("removed").size(), 2u);
    auto all = gapbundle({"gc", "--store", store().string()});
    ASSERT_EQ(all.status, 0) << all.err;
    EXPECT_NE(all.out.find("1 release(s) removed, 1 kept"), std::string::npos) << all.out;
    EXPECT_EQ(releases(), (std::vector<std::string>{"4"}));
    EXPECT_EQ(current_model(), "w4");

    auto not_a_store = gapbundle({"gc", "--store", (dir() / "nothing").string()});
    EXPECT_EQ(not_a_store.status, 2);
    EXPECT_NE(not_a_store.err.find("not a release store"), std::string::npos) << not_a_store.err;
}

TEST_F(ReleaseStoreTest, NeedsADestinationButNotTwo)
{
    const auto bundle = pack_serial(1, "w");
    auto neither = gapbundle({"unpack", bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(neither.status, 2);
    EXPECT_NE(neither.err.find("give --to DIR or --store DIR"), std::string::npos) << neither.err;
    auto both = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "o").string(),
                           "--store", store().string()});
    EXPECT_EQ(both.status, 2) << both.err;
}

}  // namespace
}  // namespace gapbundle::testing
