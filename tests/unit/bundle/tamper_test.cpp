// The tamper matrix: every case must make verify report a problem naming the entry and make
// unpack leave the destination untouched, with no staging folder left.

#include "bundle_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;
using test::RawEntry;

class TamperTest : public test::BundleTest {
protected:
    // A signed index for the sample payload, with `edit` applied to the tar entries after it.
    template <class Edit>
    stdfs::path write_edited(Edit edit, const std::vector<const test::Keypair*>& signers = {})
    {
        auto payload = test::sample_payload();
        const auto index = payload.index();
        const auto json = to_canonical_json(index);
        auto stream = payload.stream(index);
        edit(stream);
        const auto bundle = dir() / "b.tar";
        test::write_raw_bundle(bundle, json, test::sign_all(json, signers.empty() ? std::vector<const test::Keypair*>{&*m_signer} : signers),
                               stream);
        return bundle;
    }
    stdfs::path write_unchanged(const std::vector<const test::Keypair*>& signers = {})
    {
        return write_edited([](std::vector<RawEntry>&) {}, signers);
    }
};

RawEntry raw_file(const std::string& path, const std::string& content)
{
    return RawEntry{path, AE_IFREG, content, 0644, {}, {}};
}

TEST_F(TamperTest, RejectsFlippedPayloadByte)
{
    const auto bundle = write_unchanged();
    test::flip_byte_after(bundle, "hello payload", 2);
    expect_rejected(bundle, "hash", "files/a.txt");
}

TEST_F(TamperTest, RejectsFlippedIndexByte)
{
    const auto bundle = write_unchanged();
    test::flip_byte_after(bundle, R"("name":"sample")", 9);
    expect_rejected(bundle, "signature", "gapbundle/index.json");
}

TEST_F(TamperTest, RejectsFlippedSignatureByte)
{
    const auto bundle = write_unchanged();
    test::flip_byte_after(bundle, R"("sig":")", 8);
    expect_rejected(bundle, "signature", "gapbundle/index.json");
}

TEST_F(TamperTest, RejectsTruncatedBundle)
{
    const auto bundle = write_unchanged();
    const auto size = stdfs::file_size(bundle);
    stdfs::resize_file(bundle, size / 2);  // inside files/big.bin
    expect_rejected(bundle, "truncated", "files/big.bin");
}

TEST_F(TamperTest, RejectsTruncatedBundleAtEntryBoundary)
{
    auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        // Cut after files/a.txt: the archive just ends.
        std::erase_if(stream, [](const RawEntry& e) { return e.path > "files/a.txt" && e.path < "gapbundle"; });
    });
    expect_rejected(bundle, "missing", "files/big.bin");
}

TEST_F(TamperTest, RejectsExtraEntry)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) { stream.push_back(raw_file("files/zz.txt", "x")); });
    expect_rejected(bundle, "extra", "files/zz.txt");
}

TEST_F(TamperTest, RejectsMissingEntry)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        std::erase_if(stream, [](const RawEntry& e) { return e.path == "files/big.bin"; });
    });
    expect_rejected(bundle, "missing", "files/big.bin");
}

TEST_F(TamperTest, RejectsDuplicateEntry)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.push_back(raw_file("files/a.txt", "hello payload\n"));
    });
    expect_rejected(bundle, "duplicate", "files/a.txt");
}

TEST_F(TamperTest, RejectsDotDotEntry)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, raw_file("../x", "escape"));
    });
    expect_rejected(bundle, "unsafe_path", "../x");
    EXPECT_FALSE(stdfs::exists(dir().parent_path() / "x"));
}

TEST_F(TamperTest, RejectsAbsoluteEntry)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, raw_file("/etc/x", "escape"));
    });
    expect_rejected(bundle, "unsafe_path", "/etc/x");
}

TEST_F(TamperTest, RejectsSymlinkLeavingTree)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, RawEntry{"evil", AE_IFLNK, {}, 0777, "../..", {}});
    });
    expect_rejected(bundle, "unsafe_path", "evil");
}

TEST_F(TamperTest, RejectsFileThroughSymlink)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, RawEntry{"evil", AE_IFLNK, {}, 0777, "/tmp", {}});
        stream.insert(stream.begin() + 3, raw_file("evil/x", "through the link"));
    });
    expect_rejected(bundle, "unsafe_path", "evil");
}

TEST_F(TamperTest, RejectsSymlinkWhereIndexHasFolder)
{
    // The index lists files/tools as a folder; the archive makes it a link pointing inside the
    // tree, then writes files/tools/run.sh through it.
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        for (auto& raw : stream)
            if (raw.path == "files/tools") raw = RawEntry{"files/tools", AE_IFLNK, {}, 0777, "..", {}};
    });
    expect_rejected(bundle, "type", "files/tools");
}

TEST_F(TamperTest, RejectsCharacterDevice)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, RawEntry{"null", AE_IFCHR, {}, 0666, {}, {}});
    });
    expect_rejected(bundle, "type", "null");
}

TEST_F(TamperTest, RejectsFifo)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, RawEntry{"pipe", AE_IFIFO, {}, 0644, {}, {}});
    });
    expect_rejected(bundle, "type", "pipe");
}

TEST_F(TamperTest, RejectsHardlink)
{
    const auto bundle = write_edited([](std::vector<RawEntry>& stream) {
        stream.insert(stream.begin() + 2, RawEntry{"hard", AE_IFREG, {}, 0644, {}, "../target"});
    });
    expect_rejected(bundle, "unsafe_path", "hard");
}

TEST_F(TamperTest, RejectsUntrustedSigner)
{
    const auto bundle = write_unchanged({&*m_other});
    expect_rejected(bundle, "untrusted", "gapbundle/index.json");
}

TEST_F(TamperTest, RejectsExpiredBundle)
{
    auto payload = test::sample_payload();
    payload.expires = "2026-03-01T00:00:00Z";
    const auto bundle = write_good(payload);
    expect_rejected(bundle, "expired", "gapbundle/index.json");
}

TEST_F(TamperTest, RejectsThresholdTwoWithOneSignature)
{
    const auto bundle = write_unchanged();
    auto options = trust_options(2);
    options.trust.keys.push_back(m_other->pub);
    expect_rejected(bundle, "threshold", "gapbundle/index.json", options);
}

TEST_F(TamperTest, RejectsSameSignatureTwiceForThresholdTwo)
{
    const auto bundle = write_unchanged({&*m_signer, &*m_signer});
    auto options = trust_options(2);
    options.trust.keys.push_back(m_signer->pub);  // the same key trusted twice
    expect_rejected(bundle, "threshold", "gapbundle/index.json", options);
}

TEST_F(TamperTest, RejectsIndexSwappedFromAnotherBundle)
{
    auto bundle = write_unchanged();
    auto other = test::sample_payload();
    other.file("files/other.txt", "other");
    const auto index = other.index();
    const auto json = to_canonical_json(index);
    // A validly signed index of another bundle in front of this bundle's entries.
    auto payload = test::sample_payload();
    const auto own = payload.index();
    test::write_raw_bundle(bundle, json, test::sign_all(json, {&*m_signer}), payload.stream(own));
    expect_rejected(bundle, "size", "gapbundle/SHA256SUMS");
}

}  // namespace
}  // namespace gapbundle::bundle
