// The gap side's audit log through the real binary: a record per verify, unpack and refusal,
// chained, and `gapbundle audit verify` naming the first record that does not hold.
#include "trip_fixture.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class AuditLogTest : public TripTest {
protected:
    [[nodiscard]] stdfs::path log() const { return dir() / ".state" / "audit.jsonl"; }
    [[nodiscard]] std::vector<std::string> lines() const
    {
        std::vector<std::string> out;
        std::istringstream in(read_text(log()));
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    void write_lines(const std::vector<std::string>& all) const
    {
        std::string text;
        for (const auto& line : all) text += line + "\n";
        write_text(log(), text);
    }
    RunResult audit_verify() { return gapbundle({"audit", "verify"}); }

    // verify ok, verify refused, unpack ok, unpack of a missing file: four records.
    void make_four_records()
    {
        write_text(dir() / "data" / "a.txt", "content");
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n", "serial: 9\n");
        m_bundle = dir() / "b.tar";
        pack_ok(manifest, m_bundle);
        stdfs::copy_file(m_bundle, dir() / "bad.tar");
        flip_byte(dir() / "bad.tar", find_bytes(dir() / "bad.tar", "content"));
        ASSERT_EQ(gapbundle({"verify", m_bundle.string(), "--trust", pub().string()}).status, 0);
        ASSERT_EQ(gapbundle({"verify", (dir() / "bad.tar").string(), "--trust", pub().string()}).status, 1);
        ASSERT_EQ(gapbundle({"unpack", m_bundle.string(), "--trust", pub().string(), "--to", (dir() / "o").string()}).status, 0);
        ASSERT_NE(gapbundle({"unpack", (dir() / "none.tar").string(), "--trust", pub().string(), "--to",
                             (dir() / "p").string()}).status, 0);
    }

    stdfs::path m_bundle;
};

TEST_F(AuditLogTest, RecordsEveryRunWithItsOutcomeAndIdentity)
{
    make_four_records();
    const auto all = lines();
    ASSERT_EQ(all.size(), 4u);
    const auto first = nlohmann::json::parse(all[0]);
    EXPECT_EQ(first.at("seq"), 1);
    EXPECT_EQ(first.at("prev"), std::string(64, '0'));
    EXPECT_EQ(first.at("command"), "verify");
    EXPECT_EQ(first.at("result"), "ok");
    EXPECT_EQ(first.at("channel"), "trip");
    EXPECT_EQ(first.at("serial"), 9);
    EXPECT_EQ(first.at("key_ids").size(), 1u);
    EXPECT_EQ(first.at("user").at("uid"), ::getuid());
    EXPECT_EQ(first.at("index_sha256").get<std::string>().size(), 64u);
    const auto refused = nlohmann::json::parse(all[1]);
    EXPECT_EQ(refused.at("result"), "refused");
    EXPECT_EQ(refused.at("problems").at(0).at("kind"), "hash");
    EXPECT_EQ(refused.at("prev"), first.at("hash"));
    EXPECT_EQ(nlohmann::json::parse(all[2]).at("command"), "unpack");
    const auto error = nlohmann::json::parse(all[3]);
    EXPECT_EQ(error.at("result"), "error");
    EXPECT_NE(error.at("error").get<std::string>().find("none.tar"), std::string::npos);

    auto ok = audit_verify();
    EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
    EXPECT_NE(ok.out.find("4 record(s), chain intact"), std::string::npos) << ok.out;
}

TEST_F(AuditLogTest, RecordsInstallsWithTheUnpackedBundlesIdentity)
{
    make_four_records();
    const auto unpacked = nlohmann::json::parse(lines()[2]);
    auto installed = gapbundle({"install", "hf", (dir() / "o").string(), "--cache", (dir() / "hub").string()});
    const auto record = nlohmann::json::parse(lines().back());
    EXPECT_EQ(record.at("command"), "install hf");
    EXPECT_EQ(record.at("subject"), (dir() / "o").string());
    EXPECT_EQ(record.at("index_sha256"), unpacked.at("index_sha256"));
    EXPECT_EQ(record.at("result"), installed.status == 0 ? "ok" : "error") << installed.err;
    EXPECT_EQ(audit_verify().status, 0);
}

TEST_F(AuditLogTest, AnEditedRecordIsNamed)
{
    make_four_records();
    auto all = lines();
    const auto at = all[1].find("\"refused\"");
    ASSERT_NE(at, std::string::npos);
    all[1].replace(at, 9, "\"ok\"");
    write_lines(all);
    auto result = audit_verify();
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.out.find(log().string() + ":2: its hash does not match its content"), std::string::npos)
        << result.out;
}

TEST_F(AuditLogTest, ARemovedOrReorderedRecordIsNamedWhereTheChainBreaks)
{
    make_four_records();
    auto all = lines();
    write_lines({all[0], all[2], all[3]});
    auto removed = audit_verify();
    EXPECT_EQ(removed.status, 1);
    EXPECT_NE(removed.out.find(log().string() + ":2: prev is not the hash of the record before it"), std::string::npos)
        << removed.out;
    write_lines({all[1], all[0], all[2], all[3]});
    EXPECT_NE(audit_verify().out.find(":1: prev is not the hash"), std::string::npos);
    write_lines({all[0], all[1], all[2], all[3].substr(0, 20)});
    EXPECT_NE(audit_verify().out.find(":4: not a JSON record"), std::string::npos);
}

TEST_F(AuditLogTest, AppendsAfterTheLastRecordAndRefusesToExtendADamagedEnd)
{
    make_four_records();
    ASSERT_EQ(gapbundle({"verify", m_bundle.string(), "--trust", pub().string()}).status, 0);
    EXPECT_EQ(lines().size(), 5u);
    EXPECT_EQ(audit_verify().status, 0);
    auto all = lines();
    all.back() = "{broken";
    write_lines(all);
    auto verified = gapbundle({"verify", m_bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(verified.status, 0) << verified.err;  // verify itself still answers...
    EXPECT_NE(verified.err.find("note: the audit log was not written"), std::string::npos) << verified.err;  // ...and says so
    EXPECT_EQ(lines().size(), 5u);
}

}  // namespace
}  // namespace gapbundle::testing
