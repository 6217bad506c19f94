// The bar from the spine issue: verifying or unpacking a 2 GiB bundle keeps peak memory under
// 64 MiB. The payload is a sparse 2 GiB file, so the test costs disk time only for unpack.
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

constexpr long k_limit_kib = 64 * 1024;

class StreamingMemoryTest : public TripTest {};

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
    auto pack = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(), "--cache-dir",
                           cache().string()});
    ASSERT_EQ(pack.status, 0) << pack.err;
    RecordProperty("pack_peak_rss_kib", static_cast<int>(pack.peak_rss_kib));

    auto verify = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    ASSERT_EQ(verify.status, 0) << verify.out << verify.err;
    EXPECT_LT(verify.peak_rss_kib, k_limit_kib) << "verify peaked at " << verify.peak_rss_kib << " KiB";

    auto unpack = gapbundle({"unpack", bundle.string(), "--trust", pub().string(), "--to", (dir() / "out").string()});
    ASSERT_EQ(unpack.status, 0) << unpack.out << unpack.err;
    EXPECT_LT(unpack.peak_rss_kib, k_limit_kib) << "unpack peaked at " << unpack.peak_rss_kib << " KiB";
    EXPECT_EQ(stdfs::file_size(dir() / "out/files/weights.bin"), 2ull << 30);
    std::printf("peak RSS: pack %ld KiB, verify %ld KiB, unpack %ld KiB\n", pack.peak_rss_kib, verify.peak_rss_kib,
                unpack.peak_rss_kib);
}

}  // namespace
}  // namespace gapbundle::testing
