// Verify and unpack stream: memory stays flat whatever the size of the payload.

#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <sys/resource.h>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;

constexpr std::uint64_t k_payload_bytes = 200ull << 20;
constexpr long k_max_growth_kib = 64 * 1024;

long peak_rss_kib()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

class StreamingTest : public test::BundleTest {
protected:
    // A bundle holding one 200 MiB file of zeros, generated chunk by chunk.
    stdfs::path write_zero_bundle()
    {
        std::vector<std::byte> zeros(1 << 20);
        crypto::Sha256 hash;
        for (std::uint64_t done = 0; done < k_payload_bytes; done += zeros.size()) hash.update(zeros);
        test::Payload payload;
        payload.dir("data");
        Entry big;
        big.path = "data/zeros.bin";
        big.size = k_payload_bytes;
        big.sha256 = hash.finish_hex();
        payload.entries.push_back(big);
        const auto index = payload.index();
        const auto json = to_canonical_json(index);

        const auto out = dir() / "zeros.tar";
        auto writer = BundleWriter::create(out, {});
        EXPECT_TRUE(writer);
        EXPECT_TRUE(writer->add_bytes(k_index_path, json));
        EXPECT_TRUE(writer->add_bytes(k_signatures_path, test::sign_all(json, {&*m_signer})));
        EXPECT_TRUE(writer->add_dir("gapbundle"));
        const auto& sums = payload.contents.at(std::string(k_sums_path));
        EXPECT_TRUE(writer->add_bytes(k_sums_path, sums));
        EXPECT_TRUE(writer->add_dir("data"));
        std::uint64_t left = k_payload_bytes;
        auto written = writer->add_stream("data/zeros.bin", k_payload_bytes, 0644,
                                          [&](std::span<std::byte> buffer) -> Result<std::size_t> {
                                              const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left));
                                              std::memset(buffer.data(), 0, n);
                                              left -= n;
                                              return n;
                                          });
        EXPECT_TRUE(written);
        EXPECT_EQ(*written, big.sha256);
        EXPECT_TRUE(writer->commit());
        return out;
    }
};

TEST_F(StreamingTest, VerifiesAndUnpacksLargeBundleInFlatMemory)
{
    const auto bundle = write_zero_bundle();
    ASSERT_GT(stdfs::file_size(bundle), k_payload_bytes);

    const long before_verify = peak_rss_kib();
    auto report = verify_bundle(bundle, trust_options());
    const long after_verify = peak_rss_kib();
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok());
    EXPECT_GT(report->bytes, k_payload_bytes);  // and SHA256SUMS
    EXPECT_LT(after_verify - before_verify, k_max_growth_kib);

    UnpackOptions options;
    options.verify = trust_options();
    auto unpacked = unpack_bundle(bundle, dir() / "dest", options);
    const long after_unpack = peak_rss_kib();
    ASSERT_TRUE(unpacked) << unpacked.error().message;
    EXPECT_TRUE(unpacked->verify.ok());
    EXPECT_EQ(stdfs::file_size(dir() / "dest/data/zeros.bin"), k_payload_bytes);
    EXPECT_LT(after_unpack - before_verify, k_max_growth_kib);
    std::printf("peak RSS growth: verify %ld KiB, unpack %ld KiB\n", after_verify - before_verify,
                after_unpack - before_verify);
}

}  // namespace
}  // namespace gapbundle::bundle
