// Progress: a redrawn line on a terminal, plain log lines otherwise, nothing with -q.
#include "support/http_test_server.hpp"
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

class ProgressTest : public TripTest {
protected:
    void SetUp() override
    {
        TripTest::SetUp();
        server.serve_bytes("/a.bin", std::string(300'000, 'a'));
        server.serve_bytes("/b.bin", std::string(200'000, 'b'));
        manifest = write_manifest("  - url: " + server.url("/a.bin") + "\n  - url: " + server.url("/b.bin") + "\n");
    }
    std::string pack_command(const std::string& flags, const std::string& out)
    {
        return "'" + gapbundle_binary().string() + "' " + flags + " pack '" + manifest.string() + "' --key '" +
               key().string() + "' -o '" + (dir() / out).string() + "' --cache-dir '" + (dir() / out).string() + ".cache'";
    }
    HttpTestServer server;
    std::filesystem::path manifest;
};

TEST_F(ProgressTest, RedrawsOneLineOnATerminal)
{
    // script(1) gives the command a pseudo-terminal and copies what it wrote.
    auto result = run_program("/usr/bin/script", {"-qfec", pack_command("", "a.tar"), "/dev/null"}, dir());
    ASSERT_EQ(result.status, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("\r\033[Kdownloaded 2/2 files, 488.3 KiB"), std::string::npos) << result.out;
}

TEST_F(ProgressTest, LogsPlainLinesWithoutATerminal)
{
    auto result = run_program("/bin/sh", {"-c", pack_command("", "b.tar")}, dir());
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.err.find("gapbundle: downloaded 2/2 files, 488.3 KiB"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find('\r'), std::string::npos);
}

TEST_F(ProgressTest, QuietPrintsNoProgress)
{
    auto result = run_program("/bin/sh", {"-c", pack_command("-q", "c.tar")}, dir());
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace gapbundle::testing
