// The bar from the spine issue: verifying or unpacking a 2 GiB bundle keeps peak memory under
// 64 MiB. The payload is a sparse 2 GiB file, so the test costs disk time only for unpack. And
// memory grows with the number of files, not their size: 66,009 small files, as many as
// scripts/bench.sh's 9 GB payload holds, stay under the same bar.
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

constexpr long k_limit_kib = 64 * 1024;

// The child's peak RSS through GNU time: it forks a small process of its own before exec, so
// the figure is not raised by this test process (after a vfork-style spawn, Linux counts the
// parent's high-water mark into the child's ru_maxrss).
struct Measured {
    RunResult run;
    long peak_rss_kib = 0;
};

class StreamingMemoryTest : public TripTest {
protected:
    Measured measured(std::vector<std::string> args)
    {
        const auto report = dir() / "rss.txt";
        args.insert(args.begin(), {"-f", "%M", "-o", report.string(), gapbundle_binary().string()});
        Measured m{run_program("/usr/bin/time", args, dir()), 0};
        // The last line is the figure (a failed command adds a line before it).
        std::string text = read_text(report);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        m.peak_rss_kib = std::stol(text.substr(text.rfind('\n') + 1));
        return m;
    }
};

TEST_F(StreamingMemoryTest, TwoGibBundleStaysUnder64MiB)
{
#ifdef GAPBUNDLE_SANITIZED
    GTEST_SKIP() << "sanitizer shadow memory inflates the resident set";
#endif
    const auto big = dir() / "weights.bin";
    {
        write_text(big, "");
        stdfs::resize_file(big, 2ull << 30);
    }
    const auto manifest = write_manifest("  - url: weights.bin\n");
    const auto bundle = dir() / "big.tar.zst";
    auto pack = measured({"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(), "--cache-dir",
                          cache().string()});
    ASSERT_EQ(pack.run.status, 0) << pack.run.err;

    auto verify = measured({"verify", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verify.run.status, 0) << verify.run.out << verify.run.err;
    EXPECT_LT(verify.peak_rss_kib, k_limit_kib) << "verify peaked at " << verify.peak_rss_kib << " KiB";

    auto unpack = measured({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    ASSERT_EQ(unpack.run.status, 0) << unpack.run.out << unpack.run.err;
    EXPECT_LT(unpack.peak_rss_kib, k_limit_kib) << "unpack peaked at " << unpack.peak_rss_kib << " KiB";
    EXPECT_EQ(stdfs::file_size(dir() / "out/files/weights.bin"), 2ull << 30);
    std::printf("peak RSS: pack %ld KiB, verify %ld KiB, unpack %ld KiB\n", pack.peak_rss_kib, verify.peak_rss_kib,
                unpack.peak_rss_kib);
}

// The file names of bench_payload.py's 9 GB payload (its model, wheelhouse and conda channel), each
// file a few bytes: what costs memory is a file's entry, path and digest.
void write_many_files(const stdfs::path& root)
{
    for (int i = 0; i < 9; ++i) write_text(root / "model" / ("model-0000" + std::to_string(i + 1) + "-of-00009.safetensors"), "w");
    char name[64];
    for (int i = 0; i < 6000; ++i) {
        std::snprintf(name, sizeof name, "pkg%04d-1.0-py3-none-any.whl", i);
        write_text(root / "wheelhouse" / name, std::to_string(i));
    }
    for (int i = 0; i < 60000; ++i) {
        std::snprintf(name, sizeof name, "pkg%05d-1.0-0.tar.bz2", i);
        write_text(root / "conda" / (i % 4 == 0 ? "noarch" : "linux-64") / name, std::to_string(i));
    }
}

TEST_F(StreamingMemoryTest, SixtySixThousandFilesStayUnder64MiB)
{
#ifdef GAPBUNDLE_SANITIZED
    GTEST_SKIP() << "sanitizer shadow memory inflates the resident set";
#endif
    const auto payload = dir() / "payload";
    write_many_files(payload);
    const std::string files = "  - url: " + (payload / "model").string() + "/\n  - url: " +
                              (payload / "wheelhouse").string() + "/\n  - url: " + (payload / "conda").string() + "/\n";
    const auto manifest = write_manifest(files, "channel: nightly\nserial: 1\n");
    const auto lock = dir() / "many.lock.json";
    const auto bundle = dir() / "many.tar";
    const auto relocked = dir() / "relocked.tar";
    // The next night's bundle, every file of it in `bundle`: a delta that names 66,009 base paths.
    const auto next_night = dir() / "next.yaml";
    write_text(next_night, "apiVersion: gapbundle/v1\nname: trip\nchannel: nightly\nserial: 2\nfiles:\n" + files);
    const auto delta = dir() / "delta.tar";
    const std::vector<std::pair<std::string, std::vector<std::string>>> commands = {
        {"lock", {"lock", manifest.string(), "--cache-dir", cache().string(), "-o", lock.string()}},
        {"pack", {"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(), "--compression", "none",
                  "--cache-dir", cache().string()}},
        {"pack --lock", {"pack", manifest.string(), "--lock", lock.string(), "--key", key().string(), "-o",
                         relocked.string(), "--compression", "none", "--cache-dir", cache().string()}},
        {"fetch --lock", {"fetch", manifest.string(), "--lock", lock.string(), "--cache-dir", cache().string()}},
        {"pack --base", {"pack", next_night.string(), "--base", bundle.string(), "--key", key().string(), "-o",
                         delta.string(), "--compression", "none", "--cache-dir", cache().string()}},
        {"inspect", {"inspect", bundle.string()}},
        {"inspect --json", {"--json", "inspect", bundle.string()}},
        {"report", {"report", bundle.string(), "--trust", pub().string(), "-o", (dir() / "report.html").string()}},
        {"report --json", {"--json", "report", bundle.string()}},
        // Two indexes of 66,009 entries each, read as they are parsed.
        {"diff", {"diff", bundle.string(), delta.string()}},
        {"report --base", {"report", delta.string(), "--base", bundle.string(), "-o", (dir() / "delta.html").string()}},
        {"verify", {"verify", bundle.string(), "--trust", pub().string(), "--state-dir", (dir() / "state").string()}},
        {"unpack", {"unpack", bundle.string(), "--trust", pub().string(), "--state-dir", (dir() / "state").string(),
                    "--to", (dir() / "out").string()}},
        {"unpack --store", {"unpack", bundle.string(), "--trust", pub().string(), "--state-dir",
                            (dir() / "store-state").string(), "--store", (dir() / "store").string()}},
        // The next night's delta: its index, and the base release's read beside it to copy every file.
        {"unpack --store delta", {"unpack", delta.string(), "--trust", pub().string(), "--state-dir",
                                  (dir() / "store-state").string(), "--store", (dir() / "store").string()}},
    };
    std::string peaks;
    for (const auto& [name, args] : commands) {
        auto run = measured(args);
        ASSERT_EQ(run.run.status, 0) << name << ": " << run.run.out << run.run.err;
        // pack --base holds its base's digests and paths (5.5 MB here) through planning: about 64.6 MB
        // with this folder's 100-character paths, too near the bar for a test to hold it there
        // (docs/performance.md). Held below 68 MiB, it still fails if the base's whole index is kept
        // again (77 MB).
        const long limit = name == "pack --base" ? k_limit_kib + 4 * 1024 : k_limit_kib;
        EXPECT_LT(run.peak_rss_kib, limit) << name << " peaked at " << run.peak_rss_kib << " KiB";
        peaks += " " + name + " " + std::to_string(run.peak_rss_kib) + " KiB;";
    }
    EXPECT_TRUE(stdfs::exists(dir() / "out/files/conda/linux-64/pkg59999-1.0-0.tar.bz2"));
    EXPECT_EQ(read_text(dir() / "out/files/wheelhouse/pkg5999-1.0-py3-none-any.whl"), "5999");
    EXPECT_GT(stdfs::file_size(dir() / "report.html"), 10u << 20);  // every file, its size and its digest
    const auto listed = gapbundle({"inspect", delta.string()});
    ASSERT_EQ(listed.status, 0) << listed.err;
    EXPECT_NE(listed.out.find("conda/linux-64/pkg59999-1.0-0.tar.bz2 (from the base: files/conda/linux-64/pkg59999"),
              std::string::npos);
    std::printf("peak RSS at 66,009 files:%s\n", peaks.c_str());
}

}  // namespace
}  // namespace gapbundle::testing
