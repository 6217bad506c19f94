// What follows the last entry, letter case, and zstd streams cut anywhere, in-process.
#include "bundle_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;

class StreamEndTest : public test::BundleTest {};

TEST_F(StreamEndTest, RefusesPathsDifferingOnlyInCaseNamingBoth)
{
    auto payload = test::sample_payload();
    payload.file("files/Read.md", "one\n");
    payload.file("files/READ.md", "two\n");
    const auto bundle = write_good(payload);
    expect_rejected(bundle, "case_collision", "files/Read.md");
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 1u);
    EXPECT_EQ(report->problems[0].message, "files/Read.md: differs from files/READ.md only in letter case");
}

TEST_F(StreamEndTest, AcceptsZerosFillingARecordAndRefusesAnythingElse)
{
    auto payload = test::sample_payload();
    const auto good = test::read_bytes(write_good(payload));
    const auto bundle = dir() / "case.tar";
    test::write_bytes(bundle, good + std::string(9216, '\0'));
    auto padded = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(padded);
    EXPECT_TRUE(padded->ok());

    for (const std::string& tail :
         {std::string("x"), std::string(4096, '\0') + "x", std::string((1 << 20) + 1, '\0')}) {
        test::write_bytes(bundle, good + tail);
        expect_rejected(bundle, "trailing", bundle.string());
    }
}

TEST_F(StreamEndTest, RefusesGarbageInsideAZstdStreamAfterTheEndMarker)
{
    auto payload = test::sample_payload();
    const auto bundle = write_zstd(payload);
    auto good = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(good && good->ok());
    // A second zstd frame is valid zstd: it decompresses to tar bytes after the first's end marker.
    const auto compressed = test::read_bytes(bundle);
    test::write_bytes(bundle, compressed + compressed);  // a whole second bundle after the first's end
    expect_rejected(bundle, "trailing", bundle.string());
}

TEST_F(StreamEndTest, EveryCutOfAZstdBundleFails)
{
    test::Payload payload;
    payload.file("files/a.txt", "alpha content\n");
    payload.symlink("files/link", "a.txt");
    const auto whole = test::read_bytes(write_zstd(payload));
    const auto bundle = dir() / "cut.tar.zst";
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        test::write_bytes(bundle, whole.substr(0, cut));
        auto report = verify_bundle(bundle, trust_options());
        ASSERT_TRUE(report) << cut << ": " << report.error().message;
        EXPECT_FALSE(report->ok()) << "cut at " << cut << " of " << whole.size();
    }
}

}  // namespace
}  // namespace gapbundle::bundle
