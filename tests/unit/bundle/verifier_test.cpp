#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <functional>

namespace gapbundle::bundle {
namespace {

class VerifierTest : public test::BundleTest {
protected:
    // The sample payload's bundle, its index signed as it should be, with `tamper` applied to each
    // entry's bytes (in stream order) after signing.
    std::filesystem::path write_tampered(const std::function<void(test::RawEntry&)>& tamper)
    {
        auto payload = test::sample_payload();
        const auto index = payload.index();
        const auto json = to_canonical_json(index);
        auto stream = payload.stream(index);
        for (auto& raw : stream) tamper(raw);
        const auto bundle = dir() / "b.tar";
        test::write_raw_bundle(bundle, json, test::sign_all(json, {&*m_signer}), stream);
        return bundle;
    }
};

std::string problems_text(const VerifyReport& report)
{
    std::string all;
    for (const auto& p : report.problems) all += "[" + p.kind + "] " + p.message + "\n";
    return all;
}

TEST_F(VerifierTest, AcceptsGoodBundle)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << problems_text(*report);
    EXPECT_TRUE(report->authenticated);
    EXPECT_EQ(report->files, 4u);  // a.txt, run.sh, big.bin, SHA256SUMS
    EXPECT_EQ(report->signers, std::vector<std::string>{m_signer->pub.key_id()});
    ASSERT_TRUE(report->index);
    EXPECT_EQ(report->index->name, "sample");
}

TEST_F(VerifierTest, AcceptsWriterOutputCompressed)
{
    auto payload = test::sample_payload();
    auto report = verify_bundle(write_zstd(payload), trust_options());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << problems_text(*report);
}

TEST_F(VerifierTest, RejectsTruncatedZstdBundle)
{
    auto payload = test::sample_payload();
    const auto bundle = write_zstd(payload);
    std::filesystem::resize_file(bundle, std::filesystem::file_size(bundle) - 200);
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_FALSE(report->problems.empty());
    EXPECT_EQ(report->problems[0].kind, "truncated") << problems_text(*report);
    EXPECT_NE(report->problems[0].message.find(bundle.string()), std::string::npos) << problems_text(*report);
}

TEST_F(VerifierTest, NotesUntrustedSignerWhenThresholdMet)
{
    auto payload = test::sample_payload();
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    const auto bundle = dir() / "b.tar";
    test::write_raw_bundle(bundle, json, test::sign_all(json, {&*m_signer, &*m_other}), payload.stream(index));
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok()) << problems_text(*report);
    EXPECT_EQ(report->notes, std::vector<std::string>{"untrusted key " + m_other->pub.key_id()});
}

TEST_F(VerifierTest, ReportsEveryProblemWithoutSink)
{
    const auto bundle = write_tampered([](test::RawEntry& raw) {
        if (raw.path == "files/a.txt") raw.content[0] = 'H';
        if (raw.path == "files/tools/run.sh") raw.content += "x";
    });
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 2u) << problems_text(*report);
    EXPECT_EQ(report->problems[0].kind, "hash");
    EXPECT_EQ(report->problems[0].path, "files/a.txt");
    EXPECT_EQ(report->problems[1].kind, "size");
    EXPECT_EQ(report->problems[1].message, "files/tools/run.sh: header says 20 bytes, the index 19");
}

// Verifying alone, files are hashed on a second thread and their mismatches come back at the end:
// every one is still named, in the order of the stream among the other problems, and none is
// counted as verified.
TEST_F(VerifierTest, NamesEveryHashMismatchInStreamOrderAmongOtherProblems)
{
    std::vector<std::string> order;
    const auto bundle = write_tampered([&order](test::RawEntry& raw) {
        order.push_back(raw.path);
        if (raw.path == "files/a.txt") raw.content[0] = 'H';
        if (raw.path == "files/big.bin") raw.content[50 * 1024] = '!';
        if (raw.path == "files/tools/run.sh") raw.content += "x";
    });
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 3u) << problems_text(*report);
    std::vector<std::string> expected;  // the three, as the stream has them
    for (const auto& path : order)
        if (path == "files/a.txt" || path == "files/big.bin" || path == "files/tools/run.sh") expected.push_back(path);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(report->problems[i].path, expected[i]);
        EXPECT_EQ(report->problems[i].kind, expected[i] == "files/tools/run.sh" ? "size" : "hash");
    }
    // None of the three counts as verified.
    auto payload = test::sample_payload();
    auto clean_report = verify_bundle(write_good(payload, "clean.tar"), trust_options());
    ASSERT_TRUE(clean_report);
    ASSERT_TRUE(clean_report->ok()) << problems_text(*clean_report);
    EXPECT_EQ(report->files, clean_report->files - 3);
    EXPECT_LT(report->bytes, clean_report->bytes);
}

TEST_F(VerifierTest, RejectsModeDifferentFromIndex)
{
    auto payload = test::sample_payload();
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    auto stream = payload.stream(index);
    for (auto& raw : stream)
        if (raw.path == "files/a.txt") raw.mode = 04755;
    const auto bundle = dir() / "b.tar";
    test::write_raw_bundle(bundle, json, test::sign_all(json, {&*m_signer}), stream);
    expect_rejected(bundle, "mode", "files/a.txt");
}

TEST_F(VerifierTest, RejectsBundleNotStartingWithIndex)
{
    const auto bundle = dir() / "b.tar";
    test::write_raw_bundle(bundle, "{}", "[]", {});
    auto bytes = test::read_bytes(bundle);
    bytes.replace(bytes.find("gapbundle/index.json"), 20, "gapbundle/other.json");
    test::write_bytes(bundle, bytes);
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 1u) << problems_text(*report);
    EXPECT_EQ(report->problems[0].kind, "format");
    EXPECT_FALSE(report->authenticated);
}

TEST_F(VerifierTest, RejectsGnuTarFormat)
{
    auto payload = test::sample_payload();
    const auto index = payload.index();
    const auto json = to_canonical_json(index);
    const auto bundle = dir() / "b.tar";
    test::write_raw_bundle(bundle, json, test::sign_all(json, {&*m_signer}), payload.stream(index), test::TarFormat::gnu);
    expect_rejected(bundle, "format", "gapbundle/index.json");
}

TEST_F(VerifierTest, RejectsNonTarFile)
{
    test::write_bytes(dir() / "b.tar", std::string(4096, 'x'));
    auto report = verify_bundle(dir() / "b.tar", trust_options());
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 1u);
    EXPECT_EQ(report->problems[0].kind, "format");
    EXPECT_NE(report->problems[0].message.find((dir() / "b.tar").string()), std::string::npos);
}

TEST_F(VerifierTest, FailsToOpenMissingBundle)
{
    auto report = verify_bundle(dir() / "missing.tar", trust_options());
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::io);
}

TEST_F(VerifierTest, ReadsHeadWithoutTrust)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    auto head = read_head(bundle);
    ASSERT_TRUE(head) << head.error().message;
    EXPECT_EQ(head->index.name, "sample");
    EXPECT_EQ(head->signatures.size(), 1u);
    EXPECT_EQ(to_canonical_json(head->index), head->index_bytes);
}

// diff, report --base and pack --base: the index parsed as it is read, no byte of it kept.
TEST_F(VerifierTest, ReadsTheIndexAsTheHeadHoldsItWithoutItsBytes)
{
    auto payload = test::sample_payload();
    for (const auto& bundle : {write_good(payload), write_zstd(payload)}) {
        auto head = read_head(bundle);
        ASSERT_TRUE(head) << head.error().message;
        auto read = read_index(bundle);
        ASSERT_TRUE(read) << bundle << ": " << read.error().message;
        EXPECT_EQ(read->index, head->index) << bundle;
        EXPECT_EQ(read->index_sha256, crypto::sha256_hex(head->index_bytes)) << bundle;
        EXPECT_EQ(read->signatures, head->signatures) << bundle;
    }
}

TEST_F(VerifierTest, ReadingTheIndexOfABundleCutShortNamesTheBundle)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    const std::string bytes = test::read_bytes(bundle);
    const auto index_end = bytes.find("\"serial\"");  // inside index.json's data, after the first header
    ASSERT_NE(index_end, std::string::npos);
    test::write_bytes(bundle, bytes.substr(0, index_end));
    auto read = read_index(bundle);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, ErrorCode::verification);
    EXPECT_NE(read.error().message.find(bundle.string()), std::string::npos) << read.error().message;
    EXPECT_EQ(read.error().message.find("JSON"), std::string::npos) << read.error().message;

    const auto signatures_header = bytes.find("index.json.sig");
    ASSERT_NE(signatures_header, std::string::npos);
    test::write_bytes(bundle, bytes.substr(0, signatures_header + 100));  // the index whole, its signatures cut
    read = read_index(bundle);
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find(bundle.string()), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace gapbundle::bundle
