// Crash safety through the real binary: unpack is killed with SIGKILL (the GAPBUNDLE_CRASH_AT test
// hook) after every entry and at every step of its commit, and the store or destination must then
// hold the old release and old state or the new release and new state, never a mix; the next run
// sweeps what the killed one left. A write past RLIMIT_FSIZE stands in for a full disk.
#include "trip_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <map>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

// Every path below a folder: "dir", "link:TARGET" or "file:CONTENT".
using Tree = std::map<std::string, std::string>;

Tree tree_of(const stdfs::path& root)
{
    Tree tree;
    for (auto it = stdfs::recursive_directory_iterator(root); it != stdfs::recursive_directory_iterator(); ++it) {
        const auto relative = stdfs::relative(it->path(), root).string();
        if (it->is_symlink())
            tree[relative] = "link:" + stdfs::read_symlink(it->path()).string();
        else if (it->is_directory())
            tree[relative] = "dir";
        else
            tree[relative] = "file:" + read_text(it->path());
    }
    return tree;
}

// What a killed run may leave, and the next run must have removed.
std::vector<std::string> leftovers(const stdfs::path& root)
{
    std::vector<std::string> found;
    if (!stdfs::exists(root)) return found;
    for (const auto& entry : stdfs::recursive_directory_iterator(root)) {
        const auto name = entry.path().filename().string();
        for (const char* mark : {".gapbundle-staging.", ".switch.", ".tmp.", ".pending"})
            if (name.find(mark) != std::string::npos) found.push_back(entry.path().string());
    }
    return found;
}

enum class Mode { store, to };

// Every step a kill can fall between, in the order an unpack reaches them.
const std::vector<std::string> k_common_points{"unpack-entry",        "unpack-staged",       "anchor-written",
                                               "atomic-file-written", "atomic-file-renamed", "unpack-moved",
                                               "unpack-committed",    "state-recorded",      "anchor-cleared"};
const std::vector<std::string> k_store_points{"store-link-made", "store-switched"};

class CrashSafetyTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        if (HasFatalFailure()) return;
        m_bundles[1] = pack_release(1, "first weights");
        m_bundles[2] = pack_release(2, std::string(256 << 10, 'w'));  // bigger than the file size limit below
        if (HasFatalFailure()) return;
        for (int serial : {1, 2}) {
            const auto reference = dir() / ("reference" + std::to_string(serial));
            auto result =
                gapbundle({"unpack", m_bundles[serial].string(), "--trust", pub().string(), "--to", reference.string()},
                          {"GAPBUNDLE_STATE_DIR=" + (dir() / "reference-state").string()});
            ASSERT_EQ(result.status, 0) << result.err;
            m_trees[serial] = tree_of(reference);
            m_index_sha[serial] = crypto::sha256_hex(read_text(reference / "gapbundle" / "index.json"));
        }
    }

    stdfs::path pack_release(int serial, const std::string& model)
    {
        stdfs::remove_all(dir() / "data");
        write_text(dir() / "data" / "model.bin", model);
        write_text(dir() / "data" / "notes.txt", "release " + std::to_string(serial));
        write_text(dir() / "data" / "sub" / ("only-in-" + std::to_string(serial) + ".txt"), "x");
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                             "channel: nightly\nserial: " + std::to_string(serial) + "\n");
        const auto bundle = dir() / ("release" + std::to_string(serial) + ".tar");
        pack_ok(manifest, bundle);
        return bundle;
    }

    [[nodiscard]] stdfs::path store() const { return dir() / "store"; }
    [[nodiscard]] stdfs::path current() const { return store() / "current" / "nightly"; }
    [[nodiscard]] stdfs::path state() const { return dir() / ".state"; }
    [[nodiscard]] stdfs::path record() const { return state() / "channels" / "nightly.json"; }
    [[nodiscard]] stdfs::path anchor() const { return state() / "channels" / "nightly.pending"; }
    [[nodiscard]] stdfs::path destination() const { return dir() / "out2"; }
    [[nodiscard]] stdfs::path pristine() const { return dir() / "pristine"; }

    std::vector<std::string> unpack_args(Mode mode, int serial) const
    {
        std::vector<std::string> args{"unpack", m_bundles.at(serial).string(), "--trust", pub().string()};
        if (mode == Mode::store)
            args.insert(args.end(), {"--store", store().string()});
        else
            args.insert(args.end(), {"--to", destination().string()});
        return args;
    }

    // Release 1 accepted (in the store, or unpacked to out1), kept aside to start every run from.
    void accept_release_one(Mode mode)
    {
        std::vector<std::string> args{"unpack", m_bundles[1].string(), "--trust", pub().string()};
        if (mode == Mode::store)
            args.insert(args.end(), {"--store", store().string()});
        else
            args.insert(args.end(), {"--to", (dir() / "out1").string()});
        auto result = gapbundle(args);
        ASSERT_EQ(result.status, 0) << result.err;
        stdfs::create_directories(pristine());
        stdfs::copy(state(), pristine() / "state", stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks);
        if (mode == Mode::store)
            stdfs::copy(store(), pristine() / "store",
                        stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks);
    }

    void restore_release_one(Mode mode)
    {
        stdfs::remove_all(state());
        stdfs::copy(pristine() / "state", state(), stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks);
        stdfs::remove_all(destination());
        for (const auto& entry : stdfs::directory_iterator(dir()))
            if (entry.path().filename().string().starts_with(".out2.gapbundle-staging."))
                stdfs::remove_all(entry.path());
        if (mode == Mode::store) {
            stdfs::remove_all(store());
            stdfs::copy(pristine() / "store", store(),
                        stdfs::copy_options::recursive | stdfs::copy_options::copy_symlinks);
        }
    }

    [[nodiscard]] json recorded() const { return json::parse(read_text(record())); }

    // The release a killed run left in use: 1 or 2, whole, and never a half one in view.
    int release_in_use(Mode mode)
    {
        if (mode == Mode::to) {
            if (!stdfs::exists(destination())) return 1;
            EXPECT_EQ(tree_of(destination()), m_trees[2]) << "a half tree at " << destination();
            return 2;
        }
        const auto target = stdfs::read_symlink(current()).string();
        const int serial = target == "../releases/nightly/2" ? 2 : 1;
        EXPECT_EQ(target, "../releases/nightly/" + std::to_string(serial));
        EXPECT_EQ(tree_of(store() / "releases" / "nightly" / std::to_string(serial)), m_trees[serial]);
        for (const auto& entry : stdfs::directory_iterator(store() / "releases" / "nightly")) {
            const auto name = entry.path().filename().string();
            if (name.starts_with(".")) continue;  // a staging folder: hidden, swept by the next run
            if (name != "1" && name != "2") {
                ADD_FAILURE() << "not a release: " << entry.path();
                continue;
            }
            EXPECT_EQ(tree_of(entry.path()), m_trees[name == "1" ? 1 : 2]) << name;
        }
        return serial;
    }

    // The state on disk names the release in use; or it names release 1 while current/ (or the
    // destination) already holds 2, and then the roll-forward anchor names 2 and its holder.
    void expect_state_of(Mode mode, int serial)
    {
        const auto record_says = recorded();
        if (record_says.at("serial") == serial) {
            EXPECT_EQ(record_says.at("index_sha256"), m_index_sha[serial]);
            return;
        }
        ASSERT_EQ(serial, 2) << "the state moved on, but the release did not: " << record_says.dump();
        ASSERT_TRUE(stdfs::exists(anchor())) << "the state is behind, and nothing rolls it forward";
        const auto says = json::parse(read_text(anchor()));
        EXPECT_EQ(says.at("serial"), 2);
        EXPECT_EQ(says.at("index_sha256"), m_index_sha[2]);
        EXPECT_EQ(says.at("holder"), (mode == Mode::store ? current() : destination()).string());
    }

    // What gapbundle decides from that state (verify only reads it): release 1 again is accepted
    // exactly when 1 is still the release in use, and refused as a rollback once 2 is.
    void expect_decisions_of(int serial)
    {
        auto again = gapbundle({"verify", m_bundles[1].string(), "--trust", pub().string()});
        if (serial == 1) {
            EXPECT_EQ(again.status, 0) << again.out << again.err;
        } else {
            EXPECT_EQ(again.status, 1) << again.out << again.err;
            EXPECT_NE(again.out.find("rollback"), std::string::npos) << again.out;
        }
    }

    // The next unpack of release 2 succeeds, sweeps every leftover and leaves state = release 2.
    // For --to, a destination the killed run already filled takes the same bundle with --merge.
    void expect_next_run_completes(Mode mode)
    {
        auto args = unpack_args(mode, 2);
        if (mode == Mode::to) args.emplace_back("--merge");
        auto next = gapbundle(args);
        ASSERT_EQ(next.status, 0) << next.out << next.err;
        if (mode == Mode::store) {
            EXPECT_EQ(stdfs::read_symlink(current()), "../releases/nightly/2");
            EXPECT_EQ(tree_of(current() / ""), m_trees[2]);
        } else {
            EXPECT_EQ(tree_of(destination()), m_trees[2]);
        }
        EXPECT_EQ(recorded().at("serial"), 2);
        EXPECT_EQ(recorded().at("index_sha256"), m_index_sha[2]);
        EXPECT_EQ(leftovers(state()), std::vector<std::string>{});
        EXPECT_EQ(leftovers(mode == Mode::store ? store() : dir() / "out1"), std::vector<std::string>{});
        for (const auto& entry : stdfs::directory_iterator(dir()))
            EXPECT_EQ(entry.path().filename().string().find("gapbundle-staging"), std::string::npos) << entry.path();
        auto chain = gapbundle({"audit", "verify"});
        EXPECT_EQ(chain.status, 0) << chain.out << chain.err;
    }

    // Kills the unpack of release 2 at the N-th pass of each point, N = 1, 2, ... until a run
    // passes the point fewer times than N and completes. Each point must kill at least once.
    void kill_at_every_point(Mode mode)
    {
        accept_release_one(mode);
        if (HasFatalFailure()) return;
        auto points = k_common_points;
        if (mode == Mode::store) points.insert(points.end(), k_store_points.begin(), k_store_points.end());
        for (const auto& point : points) {
            for (int n = 1;; ++n) {
                restore_release_one(mode);
                const std::string at = point + ":" + std::to_string(n);
                SCOPED_TRACE("GAPBUNDLE_CRASH_AT=" + at);
                auto killed = gapbundle(unpack_args(mode, 2), {"GAPBUNDLE_CRASH_AT=" + at});
                if (killed.signal == 0) {
                    EXPECT_EQ(killed.status, 0) << killed.out << killed.err;
                    EXPECT_GT(n, 1) << "the unpack never reached " << point;
                    break;
                }
                ASSERT_EQ(killed.signal, SIGKILL) << killed.err;
                const int serial = release_in_use(mode);
                expect_state_of(mode, serial);
                expect_decisions_of(serial);
                expect_next_run_completes(mode);
                if (HasFailure()) return;  // the first point that breaks is the one to read
            }
        }
    }

    std::map<int, stdfs::path> m_bundles;
    std::map<int, Tree> m_trees;
    std::map<int, std::string> m_index_sha;
};

TEST_F(CrashSafetyTest, AStoreUnpackKilledAnywhereLeavesTheOldReleaseOrTheNew)
{
    kill_at_every_point(Mode::store);
}

TEST_F(CrashSafetyTest, AnUnpackToKilledAnywhereLeavesNoTreeOrTheWholeOne)
{
    kill_at_every_point(Mode::to);
}

// An anchor whose run is alive (it holds the anchor's lock) is not the next run's to settle: it
// still counts (the state it names is the one decided from), but is neither recorded nor removed.
TEST_F(CrashSafetyTest, AnAnchorOfARunStillAliveIsLeftToIt)
{
    accept_release_one(Mode::to);
    ASSERT_FALSE(HasFatalFailure());
    auto killed = gapbundle(unpack_args(Mode::to, 2), {"GAPBUNDLE_CRASH_AT=unpack-committed"});
    ASSERT_EQ(killed.signal, SIGKILL) << killed.err;
    ASSERT_TRUE(stdfs::exists(anchor()));
    const std::vector<std::string> older{"unpack", m_bundles[1].string(), "--trust", pub().string(), "--to",
                                         (dir() / "out3").string()};
    {
        UniqueFd alive(::open(anchor().c_str(), O_RDONLY | O_CLOEXEC));
        ASSERT_EQ(::flock(alive.get(), LOCK_EX), 0);
        auto refused = gapbundle(older);
        EXPECT_EQ(refused.status, 1) << refused.out << refused.err;
        EXPECT_NE(refused.out.find("rollback"), std::string::npos) << refused.out;
        EXPECT_TRUE(stdfs::exists(anchor()));
        EXPECT_EQ(recorded().at("serial"), 1);
    }
    auto refused = gapbundle(older);
    EXPECT_EQ(refused.status, 1) << refused.out << refused.err;
    EXPECT_FALSE(stdfs::exists(anchor()));
    EXPECT_EQ(recorded().at("serial"), 2);
    EXPECT_FALSE(stdfs::exists(dir() / "out3"));
}

constexpr std::uint64_t k_file_size_limit = 64 << 10;

TEST_F(CrashSafetyTest, AFullDiskFailsNamingTheFileAndLeavesTheStoreAsItWas)
{
    accept_release_one(Mode::store);
    ASSERT_FALSE(HasFatalFailure());
    const auto store_before = tree_of(store());
    const auto state_before = read_text(record());
    auto full = run_program(gapbundle_binary(), unpack_args(Mode::store, 2), dir(), RunOptions{{}, k_file_size_limit});
    EXPECT_EQ(full.status, 4) << full.out << full.err;
    EXPECT_NE(full.err.find("model.bin: write: File too large"), std::string::npos) << full.err;
    EXPECT_EQ(tree_of(store()), store_before);
    EXPECT_EQ(read_text(record()), state_before);
    EXPECT_EQ(leftovers(store()), std::vector<std::string>{});
    EXPECT_EQ(leftovers(state()), std::vector<std::string>{});
}

TEST_F(CrashSafetyTest, AFullDiskFailsNamingTheFileAndLeavesNoDestination)
{
    accept_release_one(Mode::to);
    ASSERT_FALSE(HasFatalFailure());
    const auto state_before = read_text(record());
    auto full = run_program(gapbundle_binary(), unpack_args(Mode::to, 2), dir(), RunOptions{{}, k_file_size_limit});
    EXPECT_EQ(full.status, 4) << full.out << full.err;
    EXPECT_NE(full.err.find("model.bin: write: File too large"), std::string::npos) << full.err;
    EXPECT_FALSE(stdfs::exists(destination()));
    EXPECT_EQ(read_text(record()), state_before);
    expect_no_staging_left();
    EXPECT_EQ(leftovers(state()), std::vector<std::string>{});
}

TEST_F(CrashSafetyTest, AFullDiskStopsPackWithoutAPartialBundle)
{
    const auto bundle = dir() / "full.tar";
    auto full = run_program(gapbundle_binary(),
                            {"pack", (dir() / "manifest.yaml").string(), "--key", key().string(), "-o", bundle.string(),
                             "--cache-dir", cache().string()},
                            dir(), RunOptions{{}, k_file_size_limit});
    EXPECT_EQ(full.status, 4) << full.out << full.err;
    EXPECT_NE(full.err.find("full.tar"), std::string::npos) << full.err;
    EXPECT_NE(full.err.find("File too large"), std::string::npos) << full.err;
    EXPECT_FALSE(stdfs::exists(bundle));
    for (const auto& entry : stdfs::directory_iterator(dir()))
        EXPECT_EQ(entry.path().filename().string().find("full.tar"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace gapbundle::testing
