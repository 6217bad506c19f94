// The text of --metrics-file (a private header of src/cli).
#include "../../../src/cli/run_metrics.hpp"

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <ctime>
#include <regex>
#include <string>

namespace gapbundle::cli {
namespace {

namespace stdfs = std::filesystem;

TEST(RunMetricsTest, RendersHelpTypeAndSampleInTableOrder)
{
    RunMetrics metrics("verify");
    metrics.set_channel("nightly");
    metrics.set(Metric::entries, std::uint64_t{12});
    metrics.set(Metric::bytes, std::uint64_t{300012});
    EXPECT_EQ(metrics.text(),
              "# HELP gapbundle_last_run_bytes Payload bytes the last run packed, verified or unpacked.\n"
              "# TYPE gapbundle_last_run_bytes gauge\n"
              "gapbundle_last_run_bytes{command=\"verify\",channel=\"nightly\"} 300012\n"
              "# HELP gapbundle_last_run_entries Entries (files, folders, symlinks) in the index of the last run's "
              "bundle.\n"
              "# TYPE gapbundle_last_run_entries gauge\n"
              "gapbundle_last_run_entries{command=\"verify\",channel=\"nightly\"} 12\n");
}

TEST(RunMetricsTest, LeavesOutTheChannelWhileUnknown)
{
    RunMetrics metrics("pack");
    metrics.set(Metric::cache_hits, std::uint64_t{0});
    EXPECT_NE(metrics.text().find("\ngapbundle_last_run_cache_hits{command=\"pack\"} 0\n"), std::string::npos)
        << metrics.text();
}

TEST(RunMetricsTest, EscapesBackslashQuoteAndNewlineInLabelValues)
{
    RunMetrics metrics("pack");
    metrics.set_channel("a\\b\"c\nd");
    metrics.set(Metric::bytes, std::uint64_t{1});
    EXPECT_NE(metrics.text().find("gapbundle_last_run_bytes{command=\"pack\",channel=\"a\\\\b\\\"c\\nd\"} 1\n"),
              std::string::npos)
        << metrics.text();
}

TEST(RunMetricsTest, WritesNumbersWithoutExponent)
{
    RunMetrics metrics("pack");
    metrics.set(Metric::bytes, std::uint64_t{18446744073709551615u});
    metrics.set(Metric::bytes_downloaded, std::uint64_t{100000000000000000u});
    metrics.set(Metric::duration_seconds, 0.000012);
    metrics.set(Metric::timestamp_seconds, 1767225600.125);
    const std::string text = metrics.text();
    EXPECT_NE(text.find("gapbundle_last_run_bytes{command=\"pack\"} 18446744073709551615\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("gapbundle_last_run_bytes_downloaded{command=\"pack\"} 100000000000000000\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("gapbundle_last_run_duration_seconds{command=\"pack\"} 0.000012\n"), std::string::npos) << text;
    EXPECT_NE(text.find("gapbundle_last_run_timestamp_seconds{command=\"pack\"} 1767225600.125\n"), std::string::npos)
        << text;
}

TEST(RunMetricsTest, FinishSetsResultExitCodeDurationAndEndTime)
{
    RunMetrics failed("verify");
    failed.finish(1);
    const std::string text = failed.text();
    EXPECT_NE(text.find("gapbundle_last_run_result{command=\"verify\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("gapbundle_last_run_exit_code{command=\"verify\"} 1\n"), std::string::npos) << text;
    EXPECT_TRUE(std::regex_search(text, std::regex("\ngapbundle_last_run_duration_seconds\\{command=\"verify\"\\} "
                                                   "[0-9]+(\\.[0-9]+)?\n")))
        << text;
    std::smatch end;
    ASSERT_TRUE(std::regex_search(
        text, end, std::regex("\ngapbundle_last_run_timestamp_seconds\\{command=\"verify\"\\} ([0-9]+(\\.[0-9]+)?)\n")))
        << text;
    const double now = static_cast<double>(std::time(nullptr));
    EXPECT_NEAR(std::stod(end[1].str()), now, 5.0);

    RunMetrics passed("verify");
    passed.finish(0);
    EXPECT_NE(passed.text().find("gapbundle_last_run_result{command=\"verify\"} 1\n"), std::string::npos);
}

TEST(RunMetricsTest, EveryMetricHasOneHelpAndOneTypeLine)
{
    RunMetrics metrics("pack");
    for (const auto metric : {Metric::duration_seconds, Metric::bytes, Metric::entries, Metric::bytes_downloaded,
                              Metric::cache_hits, Metric::result, Metric::exit_code, Metric::timestamp_seconds})
        metrics.set(metric, std::uint64_t{1});
    const std::string text = metrics.text();
    const std::regex line(
        "# HELP (gapbundle_last_run_[a-z_]+) [^\n]+\n# TYPE \\1 gauge\n\\1\\{command=\"pack\"\\} 1\n");
    std::size_t families = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) ++families;
    EXPECT_EQ(families, 8u) << text;
}

class RunMetricsFileTest : public testing::TestDirFixture {};

TEST_F(RunMetricsFileTest, WritesTheTextWithMode0644)
{
    RunMetrics metrics("unpack");
    metrics.set(Metric::bytes, std::uint64_t{5});
    const auto path = dir() / "gapbundle.prom";
    testing::write_text(path, "old\n");
    ::chmod(path.c_str(), 0600);
    ASSERT_TRUE(metrics.write(path));
    EXPECT_EQ(testing::read_text(path), metrics.text());
    struct stat st{};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(RunMetricsFileTest, AMissingFolderIsAnIoErrorNamingThePath)
{
    const auto path = dir() / "missing" / "gapbundle.prom";
    auto written = RunMetrics("pack").write(path);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::io);
    EXPECT_NE(written.error().message.find(path.string()), std::string::npos) << written.error().message;
    EXPECT_TRUE(stdfs::is_empty(dir()));
}

}  // namespace
}  // namespace gapbundle::cli
