// --metrics-file on pack, verify and unpack: the Prometheus text each leaves, on success and on
// failure, and node_exporter's textfile collector reading it.
#include "trip_fixture.hpp"

#include "support/ports.hpp"
#include "support/server_process.hpp"

#include <httplib.h>

#include <sys/stat.h>
#include <ctime>
#include <map>
#include <optional>
#include <sstream>

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

constexpr const char* k_node_exporter = "/usr/bin/prometheus-node-exporter";

// Sample lines by "name{labels}", with their value as written.
std::map<std::string, std::string> samples_of(const std::string& text)
{
    std::map<std::string, std::string> samples;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.starts_with('#')) continue;
        const auto space = line.rfind(' ');
        samples[line.substr(0, space)] = line.substr(space + 1);
    }
    return samples;
}

std::string sample(const std::string& metric, const std::string& labels)
{
    return "gapbundle_last_run_" + metric + "{" + labels + "}";
}

void expect_no_temp_file(const stdfs::path& folder)
{
    for (const auto& entry : stdfs::directory_iterator(folder))
        EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

class MetricsFileTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        manifest = write_local_payload();
        stdfs::create_directories(dir() / "metrics");
    }

    // pack --json with --metrics-file metrics/pack.prom; returns pack's JSON result.
    nlohmann::json pack_with_metrics()
    {
        auto pack =
            gapbundle({"--json", "pack", manifest.string(), "--key", key().string(), "-o", bundle().string(),
                       "--cache-dir", cache().string(), "--metrics-file", (dir() / "metrics/pack.prom").string()});
        EXPECT_EQ(pack.status, 0) << pack.out << pack.err;
        return json_of(pack);
    }

    RunResult verify(const stdfs::path& metrics_file)
    {
        return gapbundle(
            {"verify", bundle().string(), "--trust", pub().string(), "--metrics-file", metrics_file.string()});
    }

    RunResult verify_tampered(const stdfs::path& metrics_file)
    {
        pack_with_metrics();
        tamper();
        return verify(metrics_file);
    }

    // Flips a byte of data/model.bin inside the (uncompressed) bundle.
    void tamper() const { flip_byte(bundle(), find_bytes(bundle(), std::string(64, 'w')) + 10); }

    stdfs::path bundle() const { return dir() / "b.tar"; }
    stdfs::path manifest;
};

TEST_F(MetricsFileTest, PackVerifyAndUnpackEachWriteTheirRun)
{
    const auto packed = pack_with_metrics();
    const auto pack_samples = samples_of(read_text(dir() / "metrics/pack.prom"));
    const std::string pack_labels = "command=\"pack\",channel=\"trip\"";
    EXPECT_EQ(pack_samples.at(sample("result", pack_labels)), "1");
    EXPECT_EQ(pack_samples.at(sample("exit_code", pack_labels)), "0");
    EXPECT_EQ(pack_samples.at(sample("bytes", pack_labels)),
              std::to_string(packed["payload_bytes"].get<std::uint64_t>()));
    EXPECT_EQ(pack_samples.at(sample("bytes_downloaded", pack_labels)), "0");
    EXPECT_EQ(pack_samples.at(sample("cache_hits", pack_labels)),
              std::to_string(packed["cached"].get<std::uint64_t>()));
    const std::string entries = pack_samples.at(sample("entries", pack_labels));
    auto inspect = gapbundle({"--json", "inspect", bundle().string()});
    ASSERT_EQ(inspect.status, 0) << inspect.err;
    EXPECT_EQ(entries, std::to_string(json_of(inspect)["index"]["entries"].size()));
    EXPECT_GE(std::stod(pack_samples.at(sample("duration_seconds", pack_labels))), 0.0);
    EXPECT_NEAR(std::stod(pack_samples.at(sample("timestamp_seconds", pack_labels))),
                static_cast<double>(std::time(nullptr)), 60.0);

    auto checked = gapbundle({"--json", "verify", bundle().string(), "--trust", pub().string(), "--metrics-file",
                              (dir() / "metrics/verify.prom").string()});
    ASSERT_EQ(checked.status, 0) << checked.out << checked.err;
    const auto verify_samples = samples_of(read_text(dir() / "metrics/verify.prom"));
    const std::string verify_labels = "command=\"verify\",channel=\"trip\"";
    EXPECT_EQ(verify_samples.at(sample("result", verify_labels)), "1");
    EXPECT_EQ(verify_samples.at(sample("exit_code", verify_labels)), "0");
    EXPECT_EQ(verify_samples.at(sample("bytes", verify_labels)),
              std::to_string(json_of(checked)["bytes"].get<std::uint64_t>()));
    EXPECT_EQ(verify_samples.at(sample("entries", verify_labels)), entries);
    EXPECT_EQ(verify_samples.count(sample("bytes_downloaded", verify_labels)), 0u);

    auto unpacked = gapbundle({"unpack", bundle().string(), "--trust", pub().string(), "--to", (dir() / "out").string(),
                               "--metrics-file", (dir() / "metrics/unpack.prom").string()});
    ASSERT_EQ(unpacked.status, 0) << unpacked.out << unpacked.err;
    const auto unpack_samples = samples_of(read_text(dir() / "metrics/unpack.prom"));
    const std::string unpack_labels = "command=\"unpack\",channel=\"trip\"";
    EXPECT_EQ(unpack_samples.at(sample("result", unpack_labels)), "1");
    EXPECT_EQ(unpack_samples.at(sample("bytes", unpack_labels)), verify_samples.at(sample("bytes", verify_labels)));
    EXPECT_EQ(unpack_samples.at(sample("entries", unpack_labels)), entries);

    struct stat st{};
    ASSERT_EQ(::stat((dir() / "metrics/unpack.prom").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
    expect_no_temp_file(dir() / "metrics");
}

TEST_F(MetricsFileTest, AFailedVerifyWritesResultZeroAndItsExitCode)
{
    const auto file = dir() / "metrics/verify.prom";
    auto failed = verify_tampered(file);
    ASSERT_EQ(failed.status, 1) << failed.out << failed.err;
    const std::string text = read_text(file);
    const auto metrics = samples_of(text);
    const std::string labels = "command=\"verify\",channel=\"trip\"";
    EXPECT_EQ(metrics.at(sample("result", labels)), "0") << text;
    EXPECT_EQ(metrics.at(sample("exit_code", labels)), "1") << text;
    EXPECT_NE(text.find("# TYPE gapbundle_last_run_result gauge\n"), std::string::npos) << text;
    expect_no_temp_file(dir() / "metrics");
}

TEST_F(MetricsFileTest, AnErrorBeforeTheBundleIsReadStillWritesTheRun)
{
    const auto file = dir() / "metrics/unpack.prom";
    auto failed = gapbundle({"unpack", (dir() / "absent.tar").string(), "--trust", pub().string(), "--to",
                             (dir() / "out").string(), "--channel", "nightly", "--metrics-file", file.string()});
    ASSERT_EQ(failed.status, 4) << failed.out << failed.err;
    const auto metrics = samples_of(read_text(file));
    const std::string labels = "command=\"unpack\",channel=\"nightly\"";  // from --channel
    EXPECT_EQ(metrics.at(sample("result", labels)), "0");
    EXPECT_EQ(metrics.at(sample("exit_code", labels)), "4");
    EXPECT_EQ(metrics.count(sample("bytes", labels)), 0u);
}

TEST_F(MetricsFileTest, AnUnwritableMetricsFileIsAnIoErrorNamingIt)
{
    pack_with_metrics();
    const auto missing = dir() / "missing/verify.prom";
    auto no_folder = verify(missing);
    EXPECT_EQ(no_folder.status, 4) << no_folder.out << no_folder.err;
    EXPECT_NE(no_folder.out.find("OK "), std::string::npos) << no_folder.out;
    EXPECT_EQ(no_folder.err, "gapbundle: error: --metrics-file: " + missing.string() +
                                 ": cannot create a temporary file: No such file or directory\n");
    EXPECT_FALSE(stdfs::exists(dir() / "missing"));

    // A folder in the way: the temporary file is made, the rename fails, and it is removed.
    const auto folder = dir() / "metrics/verify.prom";
    stdfs::create_directories(folder);
    auto in_the_way = gapbundle(
        {"--json", "verify", bundle().string(), "--trust", pub().string(), "--metrics-file", folder.string()});
    EXPECT_EQ(in_the_way.status, 4) << in_the_way.out << in_the_way.err;
    EXPECT_EQ(json_of(in_the_way)["result"], "ok");  // still one JSON document
    EXPECT_NE(in_the_way.err.find(folder.string()), std::string::npos) << in_the_way.err;
    expect_no_temp_file(dir() / "metrics");
}

TEST_F(MetricsFileTest, AnUnwritableMetricsFileKeepsTheCommandsOwnFailure)
{
    const auto missing = dir() / "missing/verify.prom";
    auto failed = verify_tampered(missing);
    EXPECT_EQ(failed.status, 1) << failed.out << failed.err;
    EXPECT_NE(failed.out.find("FAILED "), std::string::npos) << failed.out;
    EXPECT_NE(failed.err.find("gapbundle: error: --metrics-file: " + missing.string() + ": "), std::string::npos)
        << failed.err;
}

// node_exporter's textfile collector, the consumer the file is written for.
class MetricsNodeExporterTest : public MetricsFileTest {};

// A scraped sample's value ("name{labels}" in node_exporter's order: labels sorted by name).
std::optional<double> scraped(const std::string& body, const std::string& name_and_labels)
{
    const auto at = body.find("\n" + name_and_labels + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(body.substr(at + name_and_labels.size() + 2));
}

TEST_F(MetricsNodeExporterTest, TextfileCollectorServesEveryRun)
{
    if (!stdfs::exists(k_node_exporter))
        GTEST_SKIP() << k_node_exporter
                     << " is not installed (Debian package prometheus-node-exporter; scripts/setup.sh)";
    pack_with_metrics();
    ASSERT_EQ(verify(dir() / "metrics/verify.prom").status, 0);
    tamper();
    ASSERT_EQ(gapbundle({"unpack", bundle().string(), "--trust", pub().string(), "--to", (dir() / "out").string(),
                         "--metrics-file", (dir() / "metrics/unpack.prom").string()})
                  .status,
              1);

    const int port = free_port();
    std::string body;
    {
        ServerProcess node_exporter(k_node_exporter,
                                    {"--collector.disable-defaults", "--collector.textfile",
                                     "--collector.textfile.directory=" + (dir() / "metrics").string(),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                                    dir() / "node_exporter.log", port);
        httplib::Client client("127.0.0.1", port);
        auto response = client.Get("/metrics");
        ASSERT_TRUE(response) << httplib::to_string(response.error());
        ASSERT_EQ(response->status, 200);
        body = response->body;
    }
    EXPECT_NE(body.find("\nnode_textfile_scrape_error 0\n"), std::string::npos) << body;
    EXPECT_NE(body.find("\n# TYPE gapbundle_last_run_bytes gauge\n"), std::string::npos) << body;
    const auto packed = samples_of(read_text(dir() / "metrics/pack.prom"));
    for (const char* command : {"pack", "verify"}) {
        const std::string labels = "channel=\"trip\",command=\"" + std::string(command) + "\"";
        EXPECT_EQ(scraped(body, sample("result", labels)), 1.0) << command << "\n" << body;
        EXPECT_EQ(scraped(body, sample("exit_code", labels)), 0.0) << command;
        EXPECT_TRUE(scraped(body, sample("duration_seconds", labels))) << command;
        EXPECT_TRUE(scraped(body, sample("timestamp_seconds", labels))) << command;
    }
    const std::string pack_labels = "channel=\"trip\",command=\"pack\"";
    EXPECT_EQ(scraped(body, sample("bytes", pack_labels)),
              std::stod(packed.at(sample("bytes", "command=\"pack\",channel=\"trip\""))));
    EXPECT_EQ(scraped(body, sample("bytes_downloaded", pack_labels)), 0.0);
    const std::string unpack_labels = "channel=\"trip\",command=\"unpack\"";
    EXPECT_EQ(scraped(body, sample("result", unpack_labels)), 0.0) << body;
    EXPECT_EQ(scraped(body, sample("exit_code", unpack_labels)), 1.0) << body;
}

}  // namespace
}  // namespace gapbundle::testing
