// The operator's check without gapbundle: tar, base64, openssl, sha256sum (docs/bundle-format.md).

#include "bundle_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace gapbundle::bundle {
namespace {

class StockToolsTest : public test::BundleTest {
protected:
    int run_check(const std::filesystem::path& bundle)
    {
        test::write_pub(m_signer->pub, dir() / "k.pub");
        std::filesystem::create_directories(dir() / "x");
        const std::string script =
            "set -e; cd '" + (dir() / "x").string() + "'; tar -xf '" + bundle.string() + "'; " +
            "sed -n 's/^\\[{\"alg\":\"ed25519\",\"keyid\":\"[0-9a-f]*\",\"sig\":\"\\([^\"]*\\)\".*/\\1/p' "
            "gapbundle/index.json.sig | base64 -d > ../s; "
            "openssl pkeyutl -verify -pubin -inkey ../k.pub -rawin -in gapbundle/index.json -sigfile ../s >/dev/null; "
            "sha256sum --quiet --strict -c gapbundle/SHA256SUMS";
        return std::system(("sh -c \"$(cat <<'EOS'\n" + script + "\nEOS\n)\"").c_str());
    }
};

TEST_F(StockToolsTest, VerifiesWithOpensslAndSha256sum)
{
    auto payload = test::sample_payload();
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    const auto bundle = dir() / "b.tar.zst";
    WriterOptions options;
    options.compression = Compression::zstd;
    test::write_with_writer(bundle, index, test::sign_all(json, {&*m_signer}), payload.stream(index), options);
    EXPECT_EQ(run_check(bundle), 0);
}

TEST_F(StockToolsTest, FailsOnTamperedIndex)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    test::flip_byte_after(bundle, R"("name":"sample")", 9);
    EXPECT_NE(run_check(bundle), 0);
}

}  // namespace
}  // namespace gapbundle::bundle
