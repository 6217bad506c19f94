// The operator's policy beyond signatures: expiry against the caller's clock, and each channel's
// history (rollback, equivocation, the same bundle again).
#include "bundle_fixture.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

namespace gapbundle::bundle {
namespace {

class ChannelPolicyTest : public test::BundleTest {
protected:
    // A signed bundle of the sample payload with this channel and serial; returns its path and
    // sets `index_sha256`.
    std::filesystem::path write(const std::string& name, std::optional<std::string> channel, std::uint64_t serial,
                                std::string* index_sha256 = nullptr, const std::string& extra = "")
    {
        auto payload = test::sample_payload();
        if (!extra.empty()) payload.file("files/extra.txt", extra);
        auto index = payload.index();
        index.channel = std::move(channel);
        index.serial = serial;
        const auto json = to_canonical_json(index);
        if (index_sha256) *index_sha256 = crypto::sha256_hex(json);
        const auto out = dir() / name;
        test::write_raw_bundle(out, json, test::sign_all(json, {&*m_signer}), payload.stream(index));
        return out;
    }

    VerifyOptions with_history(const std::string& channel, std::uint64_t serial, const std::string& index_sha256)
    {
        auto options = trust_options();
        options.accepted[channel] = AcceptedBundle{serial, index_sha256};
        return options;
    }
};

TEST_F(ChannelPolicyTest, TheChannelIsTheNameUnlessTheIndexSaysOtherwise)
{
    std::string sha;
    const auto named = write("named.tar", std::nullopt, 7, &sha);
    auto report = verify_bundle(named, trust_options());
    ASSERT_TRUE(report && report->ok());
    EXPECT_EQ(channel_of(*report->index), "sample");
    EXPECT_EQ(report->index_sha256, sha);
    const auto nightly = write("nightly.tar", "nightly", 7);
    report = verify_bundle(nightly, trust_options());
    ASSERT_TRUE(report && report->ok());
    EXPECT_EQ(channel_of(*report->index), "nightly");
}

TEST_F(ChannelPolicyTest, RefusesAnOlderSerialUnlessAllowedWithANote)
{
    const auto bundle = write("b.tar", "nightly", 6);
    auto options = with_history("nightly", 7, std::string(64, 'a'));
    expect_rejected(bundle, "rollback", "gapbundle/index.json", options);
    auto report = verify_bundle(bundle, options);
    ASSERT_TRUE(report);
    ASSERT_EQ(report->problems.size(), 1u);
    EXPECT_EQ(report->problems[0].message,
              "gapbundle/index.json: serial 6 on channel 'nightly' is older than serial 7, accepted before "
              "(--allow-downgrade to install it anyway)");

    options.allow_downgrade = true;
    report = verify_bundle(bundle, options);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
    ASSERT_EQ(report->notes.size(), 1u);
    EXPECT_NE(report->notes[0].find("accepted because of --allow-downgrade"), std::string::npos);
}

TEST_F(ChannelPolicyTest, OtherChannelsHistoryDoesNotCount)
{
    const auto bundle = write("b.tar", "nightly", 6);
    auto report = verify_bundle(bundle, with_history("weekly", 9, std::string(64, 'a')));
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
}

TEST_F(ChannelPolicyTest, RefusesTheSameSerialWithAnotherIndexEvenWhenDowngradesAreAllowed)
{
    std::string first;
    write("first.tar", "nightly", 7, &first);
    const auto second = write("second.tar", "nightly", 7, nullptr, "changed");
    auto options = with_history("nightly", 7, first);
    options.allow_downgrade = true;
    expect_rejected(second, "equivocation", "gapbundle/index.json", options);
}

TEST_F(ChannelPolicyTest, AcceptsTheSameBundleAgainAndANewerOne)
{
    std::string sha;
    const auto same = write("same.tar", "nightly", 7, &sha);
    auto report = verify_bundle(same, with_history("nightly", 7, sha));
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
    EXPECT_TRUE(report->notes.empty());
    const auto newer = write("newer.tar", "nightly", 8);
    report = verify_bundle(newer, with_history("nightly", 7, sha));
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
}

TEST_F(ChannelPolicyTest, ExpiryFollowsTheGivenClockAndCanBeOverriddenWithANote)
{
    auto payload = test::sample_payload();
    payload.expires = "2026-07-01T00:00:00Z";  // test_now() is 2026-06-01
    const auto bundle = write_good(payload);
    auto report = verify_bundle(bundle, trust_options());
    ASSERT_TRUE(report && report->ok());

    auto later = trust_options();
    later.now = *time::parse_rfc3339("2026-08-01T00:00:00Z");  // as ops passes a newer `created` seen
    expect_rejected(bundle, "expired", "gapbundle/index.json", later);
    later.ignore_expiry = true;
    report = verify_bundle(bundle, later);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
    ASSERT_EQ(report->notes.size(), 1u);
    EXPECT_NE(report->notes[0].find("accepted because of --ignore-expiry"), std::string::npos);
}

TEST_F(ChannelPolicyTest, RefusesABundleSignedForAnotherChannelThanExpected)
{
    const auto bundle = write("b.tar", "testing", 7);
    auto options = trust_options();
    options.channel = "production";
    expect_rejected(bundle, "channel", "gapbundle/index.json", options);
    auto report = verify_bundle(bundle, options);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->problems.at(0).message,
              "gapbundle/index.json: the bundle was signed for channel 'testing', not 'production'");
    options.channel = "testing";
    report = verify_bundle(bundle, options);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
}

TEST_F(ChannelPolicyTest, RefusesAChannelThatCannotNameAFile)
{
    auto index = test::sample_payload().index();
    index.channel = "../etc";
    EXPECT_FALSE(parse_index(to_canonical_json(index)));
    index.channel = "nightly";
    index.name = "a/b";
    EXPECT_FALSE(parse_index(to_canonical_json(index)));
}

}  // namespace
}  // namespace gapbundle::bundle
