// The gap side's history per channel, through the real binary: what unpack records under
// --state-dir, and what verify and unpack refuse because of it (issue 7, policy and state).
#include "trip_fixture.hpp"

#include <gapbundle/util/time.hpp>

#include <gtest/gtest.h>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class ChannelStateTest : public TripTest {
protected:
    // run_program gives every test this state folder unless told otherwise.
    [[nodiscard]] stdfs::path state() const { return dir() / ".state"; }
    [[nodiscard]] stdfs::path record(const std::string& channel) const
    {
        return state() / "channels" / (channel + ".json");
    }

    // Packs one local file as channel `nightly` at `serial`.
    stdfs::path pack_serial(std::uint64_t serial, const std::string& content = "weights",
                            const std::string& extra_top = "", const std::vector<std::string>& env = {})
    {
        write_text(dir() / "data" / "model.bin", content);
        const auto manifest = write_manifest("  - url: " + (dir() / "data").string() + "/\n",
                                             "channel: nightly\nserial: " + std::to_string(serial) + "\n" + extra_top);
        const auto bundle = dir() / ("b" + std::to_string(serial) + "-" + std::to_string(++m_packs) + ".tar");
        std::vector<std::string> args{"pack", manifest.string(), "--key", key().string(), "-o", bundle.string(),
                                      "--cache-dir", cache().string()};
        auto result = gapbundle(args, env);
        EXPECT_EQ(result.status, 0) << result.out << result.err;
        return bundle;
    }

    RunResult unpack(const stdfs::path& bundle, const std::string& to, const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> args{"--json", "unpack", bundle.string(), "--trust", pub().string(), "--to",
                                      (dir() / to).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return gapbundle(args);
    }

    int m_packs = 0;
};

TEST_F(ChannelStateTest, RecordsTheAcceptedBundleAndRefusesAnOlderSerial)
{
    const auto five = pack_serial(5);
    auto result = unpack(five, "out5");
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    const auto recorded = nlohmann::json::parse(read_text(record("nightly")));
    EXPECT_EQ(recorded.at("serial"), 5);
    EXPECT_EQ(recorded.at("index_sha256"), json_of(result).at("index_sha256"));
    EXPECT_EQ(json_of(result).at("channel"), "nightly");

    const auto four = pack_serial(4);
    const std::string before = read_text(record("nightly"));
    auto verified = gapbundle({"verify", four.string(), "--trust", pub().string()});
    EXPECT_EQ(verified.status, 1);
    EXPECT_NE(verified.out.find("rollback: serial 4 on channel 'nightly' is older than serial 5"), std::string::npos)
        << verified.out;
    result = unpack(four, "out4");
    EXPECT_EQ(result.status, 1) << result.out << result.err;
    EXPECT_FALSE(stdfs::exists(dir() / "out4"));
    EXPECT_EQ(read_text(record("nightly")), before);
    expect_no_staging_left();

    result = unpack(four, "out4", {"--allow-downgrade"});
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    EXPECT_NE(json_of(result).at("notes").dump().find("--allow-downgrade"), std::string::npos) << result.out;
    EXPECT_EQ(nlohmann::json::parse(read_text(record("nightly"))).at("serial"), 4);
    auto text = gapbundle({"unpack", four.string(), "--trust", pub().string(), "--to", (dir() / "again").string()});
    EXPECT_EQ(text.status, 0) << text.err;
}

TEST_F(ChannelStateTest, TheSameBundleAgainPassesAndAnotherIndexUnderItsSerialIsRefused)
{
    const auto first = pack_serial(5);
    ASSERT_EQ(unpack(first, "o1").status, 0);
    auto again = unpack(first, "o2");
    EXPECT_EQ(again.status, 0) << again.out << again.err;

    const auto other = pack_serial(5, "other weights");
    auto refused = unpack(other, "o3", {"--allow-downgrade"});
    EXPECT_EQ(refused.status, 1) << refused.out;
    EXPECT_NE(refused.out.find("equivocation"), std::string::npos) << refused.out;
    EXPECT_FALSE(stdfs::exists(dir() / "o3"));
}

TEST_F(ChannelStateTest, AClockSetBackCannotReviveAnExpiredBundle)
{
    // A bundle built 400 days ahead of this clock is accepted (it expires 30 days after that)...
    const auto ahead = time::now() + 400 * 86400;
    const auto future = pack_serial(10, "weights", "expires: 30d\n", {"SOURCE_DATE_EPOCH=" + std::to_string(ahead)});
    ASSERT_EQ(unpack(future, "o10").status, 0);
    // ...so this machine has seen that date: a bundle that expires tomorrow by this clock has expired.
    const auto current = pack_serial(11, "weights", "expires: 1d\n");
    auto verified = gapbundle({"verify", current.string(), "--trust", pub().string()});
    EXPECT_EQ(verified.status, 1) << verified.out;
    EXPECT_NE(verified.out.find("expired: the bundle expired at"), std::string::npos) << verified.out;
    EXPECT_NE(verified.out.find("(now " + time::format_rfc3339(ahead) + ")"), std::string::npos) << verified.out;
    auto overridden = gapbundle({"verify", current.string(), "--trust", pub().string(), "--ignore-expiry"});
    EXPECT_EQ(overridden.status, 0) << overridden.out;
    EXPECT_NE(overridden.err.find("note: the bundle expired at"), std::string::npos) << overridden.err;
    // With another state folder (no history) it passes: the refusal came from the state.
    auto fresh = gapbundle({"verify", current.string(), "--trust", pub().string(), "--state-dir",
                            (dir() / "fresh").string()});
    EXPECT_EQ(fresh.status, 0) << fresh.out;
}

TEST_F(ChannelStateTest, TrustsTheDefaultFolderWhenNoKeyIsGiven)
{
    const auto bundle = pack_serial(1);
    const auto folder = dir() / "trust.d";
    stdfs::create_directories(folder);
    stdfs::copy_file(pub(), folder / "signer.pub");
    auto trusted = gapbundle({"verify", bundle.string()}, {"GAPBUNDLE_TRUST_DIR=" + folder.string()});
    EXPECT_EQ(trusted.status, 0) << trusted.out << trusted.err;
    auto missing = gapbundle({"verify", bundle.string()}, {"GAPBUNDLE_TRUST_DIR=" + (dir() / "none").string()});
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("no trusted keys"), std::string::npos) << missing.err;
    EXPECT_NE(missing.err.find((dir() / "none").string()), std::string::npos) << missing.err;
    // Another key's folder: the bundle's own claims do not matter.
    ASSERT_EQ(gapbundle({"keygen", "--out", (dir() / "stranger").string()}).status, 0);
    stdfs::remove(folder / "signer.pub");
    stdfs::copy_file(dir() / "stranger.pub", folder / "stranger.pub");
    auto untrusted = gapbundle({"verify", bundle.string()}, {"GAPBUNDLE_TRUST_DIR=" + folder.string()});
    EXPECT_EQ(untrusted.status, 1) << untrusted.out;
}

TEST_F(ChannelStateTest, ADamagedStateIsAnErrorNotAnEmptyHistory)
{
    const auto bundle = pack_serial(3);
    ASSERT_EQ(unpack(bundle, "o").status, 0);
    write_text(record("nightly"), "{\"channel\": \"nightly\", \"serial\": \"three\"}");
    auto verified = gapbundle({"verify", bundle.string(), "--trust", pub().string()});
    EXPECT_EQ(verified.status, 1);
    EXPECT_NE(verified.err.find(record("nightly").string() + ": damaged channel state"), std::string::npos)
        << verified.err;
}

TEST_F(ChannelStateTest, AStateFolderThatCannotBeWrittenFailsBeforeUnpacking)
{
    const auto bundle = pack_serial(3);
    write_text(dir() / "a-file", "x");
    auto result = unpack(bundle, "o", {"--state-dir", (dir() / "a-file" / "state").string()});
    EXPECT_NE(result.status, 0);
    EXPECT_NE(result.err.find("--state-dir"), std::string::npos) << result.err;
    EXPECT_FALSE(stdfs::exists(dir() / "o"));
}

TEST_F(ChannelStateTest, RefusesABundleOfAnotherChannelThanTheOperatorExpects)
{
    const auto bundle = pack_serial(1);  // channel nightly
    auto refused = unpack(bundle, "o", {"--channel", "production"});
    EXPECT_EQ(refused.status, 1) << refused.out;
    EXPECT_NE(refused.out.find("the bundle was signed for channel 'nightly', not 'production'"), std::string::npos)
        << refused.out;
    EXPECT_FALSE(stdfs::exists(dir() / "o"));
    EXPECT_FALSE(stdfs::exists(record("nightly")));
    EXPECT_EQ(unpack(bundle, "o", {"--channel", "nightly"}).status, 0);
}

TEST_F(ChannelStateTest, RefusesAnInvalidChannelInTheManifest)
{
    const auto manifest = write_manifest("  - url: " + (dir() / "x").string() + "\n", "channel: ../up\n");
    auto result = gapbundle({"pack", manifest.string(), "--key", key().string(), "-o", (dir() / "b.tar").string()});
    EXPECT_EQ(result.status, 2);
    EXPECT_NE(result.err.find("invalid channel '../up'"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace gapbundle::testing
