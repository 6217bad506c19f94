// The bar from the spine issue: verifying or unpacking a 2 GiB bundle keeps peak memory under
// 64 MiB. The payload is a sparse 2 GiB file, so the test costs disk time only for unpack.
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

}  // namespace
}  // namespace gapbundle::testing
