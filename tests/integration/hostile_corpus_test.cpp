// The hostile-bundle corpus (tests/tools/hostile_corpus) through the real binary: each case gives
// its exit code and names its culprit in verify, unpack --to and (for some) unpack --store; the
// destination is never created, no staging folder is left, and the channel state and the release
// store are byte for byte what they were.
#include "support/run_binary.hpp"
#include "support/test_dir.hpp"
#include "tools/hostile_corpus/corpus.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;
using Snapshot = std::map<std::string, std::string>;

// Every file, folder and symlink under `root` with its content or target; the audit log is left
// out (a refusal is recorded there, by design).
Snapshot snapshot(const stdfs::path& root)
{
    Snapshot out;
    if (!stdfs::exists(root)) return out;
    for (const auto& item : stdfs::recursive_directory_iterator(root)) {
        const auto rel = stdfs::relative(item.path(), root).string();
        if (rel == "audit.jsonl") continue;
        if (item.is_symlink())
            out[rel] = "-> " + stdfs::read_symlink(item.path()).string();
        else if (item.is_directory())
            out[rel] = "dir";
        else
            out[rel] = read_text(item.path());
    }
    return out;
}

bool names(const std::string& out, const std::string& prefix, const std::string& message)
{
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(prefix) && line.find(message) != std::string::npos) return true;
    return false;
}

std::vector<std::string> staging_left(const stdfs::path& folder)
{
    std::vector<std::string> found;
    for (const auto& item : stdfs::directory_iterator(folder))
        if (item.path().filename().string().find("staging") != std::string::npos) found.push_back(item.path());
    return found;
}

class HostileCorpusTest : public TestDirFixture {};

TEST_F(HostileCorpusTest, EveryCaseGivesItsExitCodeAndLeavesDestinationAndStateAlone)
{
    const auto corpus = dir() / "corpus";
    const auto written = hostile::write_corpus(corpus);
    const auto doc = nlohmann::json::parse(read_text(corpus / "cases.json"));
    ASSERT_EQ(doc.at("cases").size(), written.size());
    const std::string trust = (corpus / doc.at("signer").get<std::string>()).string();
    const auto state = dir() / "state";
    const auto store = dir() / "store";
    const std::vector<std::string> env{"GAPBUNDLE_STATE_DIR=" + state.string()};

    // Something to keep: the seed (serial 6 of the same channel) unpacked into the store.
    auto seeded = run_gapbundle(
        {"unpack", (corpus / doc.at("seed").get<std::string>()).string(), "--trust", trust, "--store", store.string()},
        dir(), env);
    ASSERT_EQ(seeded.status, 0) << seeded.out << seeded.err;
    const Snapshot state_before = snapshot(state);
    const Snapshot store_before = snapshot(store);
    ASSERT_FALSE(state_before.empty());
    ASSERT_TRUE(store_before.contains("current"));

    for (const auto& c : doc.at("cases")) {
        const auto name = c.at("name").get<std::string>();
        SCOPED_TRACE("case " + name + ": " + c.at("why").get<std::string>());
        const std::string bundle = (corpus / c.at("file").get<std::string>()).string();
        const int want = c.at("exit").get<int>();
        const auto kind = c.at("kind").get<std::string>();
        const auto path = c.at("path").get<std::string>();
        const auto message = c.at("message").get<std::string>();
        const auto setup = c.at("setup").get<std::string>();
        const std::string prefix = (path.empty() ? bundle : path) + ": " + kind + ":";

        auto verify = run_gapbundle({"verify", bundle, "--trust", trust}, dir(), env);
        EXPECT_EQ(verify.status, setup.empty() ? want : 0) << verify.out << verify.err;
        if (!kind.empty()) {
            EXPECT_TRUE(names(verify.out, prefix, message)) << "wanted '" << prefix << "' and '" << message << "' in:\n"
                                                            << verify.out.substr(0, 2000);
        }

        const auto destination = dir() / "dest";
        const auto outside = dir() / "outside";
        stdfs::create_directories(outside);
        if (setup == "dest_symlink") stdfs::create_directory_symlink(outside, destination);
        if (setup == "planted_symlink") {
            stdfs::create_directories(destination);
            stdfs::create_directory_symlink(outside, destination / "files");
        }
        // A bundle that passes records its serial: in a state folder of its own, not the one watched.
        const std::vector<std::string> unpack_env{"GAPBUNDLE_STATE_DIR=" + (dir() / "state-passing").string()};
        auto unpack = run_gapbundle({"unpack", bundle, "--trust", trust, "--to", destination.string()}, dir(),
                                    want == 0 ? unpack_env : env);
        EXPECT_EQ(unpack.status, want) << unpack.out << unpack.err;
        if (!kind.empty()) {
            EXPECT_TRUE(names(unpack.out, prefix, message)) << unpack.out.substr(0, 2000);
        } else if (!message.empty()) {
            EXPECT_NE(unpack.err.find(message), std::string::npos) << unpack.err;
        }
        if (setup == "planted_symlink") {
            auto merge = run_gapbundle({"unpack", bundle, "--trust", trust, "--to", destination.string(), "--merge"},
                                       dir(), env);
            EXPECT_NE(merge.status, 0) << merge.out << merge.err;
            EXPECT_NE(merge.err.find("exists and is not a folder"), std::string::npos) << merge.err;
        }
        if (want == 0) {
            EXPECT_TRUE(stdfs::is_regular_file(destination / "gapbundle" / "index.json"));
            EXPECT_TRUE(stdfs::is_regular_file(destination / "files" / "big.bin"));
        } else if (setup.empty()) {
            EXPECT_FALSE(stdfs::exists(stdfs::symlink_status(destination))) << "destination was created";
        }
        EXPECT_TRUE(stdfs::is_empty(outside)) << "written through a planted symlink";
        EXPECT_FALSE(stdfs::exists(dir() / "x"));
        EXPECT_FALSE(stdfs::exists(dir().parent_path() / "x"));
        EXPECT_TRUE(staging_left(dir()).empty());

        if (c.at("store").get<bool>()) {
            auto into_store =
                run_gapbundle({"unpack", bundle, "--trust", trust, "--store", store.string()}, dir(), env);
            EXPECT_EQ(into_store.status, want) << into_store.out << into_store.err;
            // The store reads the head before the stream: what is wrong there is an error on stderr
            // that names the entry (without the kind); the rest is a problem line.
            const std::string error = "gapbundle: error: " + (path.empty() ? bundle : path) + ": ";
            const bool named =
                names(into_store.out, prefix, message) ||
                (into_store.err.find(error) != std::string::npos && into_store.err.find(message) != std::string::npos);
            if (!kind.empty()) {
                EXPECT_TRUE(named) << into_store.out.substr(0, 2000) << into_store.err.substr(0, 2000);
            }
        }
        EXPECT_EQ(snapshot(state), state_before) << "the channel state changed";
        EXPECT_EQ(snapshot(store), store_before) << "the release store changed";
        for (const auto& p : {stdfs::path(destination), outside, dir() / "state-passing"}) stdfs::remove_all(p);
    }
}

// The bombs stay small: each is refused by what its header claims, reading a bounded stretch of
// the stream, so gapbundle's peak memory stays far below what the claims would need.
TEST_F(HostileCorpusTest, BombsAreRefusedWithBoundedMemory)
{
#ifdef GAPBUNDLE_SANITIZED
    GTEST_SKIP() << "sanitizer shadow memory inflates the resident set";
#endif
    constexpr long k_limit_kib = 64 * 1024;
    const auto corpus = dir() / "corpus";
    hostile::write_corpus(corpus);
    const std::string trust = (corpus / "signer.pub").string();
    const std::vector<std::string> env{"GAPBUNDLE_STATE_DIR=" + (dir() / "state").string()};
    for (const std::string name : {"zstd_bomb_entry.tar.zst", "zstd_bomb_trailing.tar.zst", "index_100mb.tar.zst"}) {
        for (const std::string command : {"verify", "unpack"}) {
            SCOPED_TRACE(command + " " + name);
            // Peak RSS through GNU time, which forks before exec (see streaming_memory_test.cpp).
            const auto report = dir() / "rss.txt";
            std::vector<std::string> args{
                "-f",      "%M", "-o", report.string(), gapbundle_binary().string(), command, (corpus / name).string(),
                "--trust", trust};
            if (command == "unpack") args.insert(args.end(), {"--to", (dir() / "dest").string()});
            auto run = run_program("/usr/bin/time", args, dir(), env);
            EXPECT_EQ(run.status, 1) << run.out << run.err;
            std::string text = read_text(report);
            while (!text.empty() && text.back() == '\n') text.pop_back();
            const long peak = std::stol(text.substr(text.rfind('\n') + 1));
            EXPECT_LT(peak, k_limit_kib) << "peaked at " << peak << " KiB";
            EXPECT_FALSE(stdfs::exists(dir() / "dest"));
        }
    }
}

// The store's release folder for the bundle's serial, planted as a symlink to a folder elsewhere:
// the good bundle is refused, nothing is written there, and the store and state stay as they were.
TEST_F(HostileCorpusTest, StoreRefusesAPlantedReleaseSymlink)
{
    const auto corpus = dir() / "corpus";
    hostile::write_corpus(corpus);
    const std::string trust = (corpus / "signer.pub").string();
    const auto state = dir() / "state";
    const auto store = dir() / "store";
    const std::vector<std::string> env{"GAPBUNDLE_STATE_DIR=" + state.string()};
    auto seeded = run_gapbundle({"unpack", (corpus / "seed.tar").string(), "--trust", trust, "--store", store.string()},
                                dir(), env);
    ASSERT_EQ(seeded.status, 0) << seeded.out << seeded.err;
    const auto outside = dir() / "outside";
    stdfs::create_directories(outside);
    stdfs::create_directory_symlink(outside, store / "releases" / "sample" / "7");
    const Snapshot state_before = snapshot(state);
    const Snapshot store_before = snapshot(store);

    auto unpack = run_gapbundle({"unpack", (corpus / "good.tar").string(), "--trust", trust, "--store", store.string()},
                                dir(), env);
    EXPECT_NE(unpack.status, 0) << unpack.out << unpack.err;
    EXPECT_TRUE(stdfs::is_empty(outside));
    EXPECT_EQ(snapshot(state), state_before);
    EXPECT_EQ(snapshot(store), store_before);
}

}  // namespace
}  // namespace gapbundle::testing
