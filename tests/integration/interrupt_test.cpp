// Ctrl-C during a download: exit 130, no bundle, nothing half-written in the cache.
#include "support/http_test_server.hpp"
#include "trip_fixture.hpp"

namespace gapbundle::testing {
namespace {

namespace stdfs = std::filesystem;

class InterruptTest : public TripTest {};

TEST_F(InterruptTest, CtrlCExits130AndLeavesNothingBehind)
{
    HttpTestServer server;
    server.serve_bytes("/slow.bin", std::string(1'000'000, 's'));
    server.stall("/slow.bin", std::chrono::seconds(30), 100'000, -1);
    const auto manifest = write_manifest("  - url: " + server.url("/slow.bin") + "\n");
    const auto bundle = dir() / "b.tar";
    // Background jobs of a non-interactive shell start with SIGINT ignored; gapbundle installs
    // its own handler, so the signal must still reach it.
    const std::string script = "'" + gapbundle_binary().string() + "' pack '" + manifest.string() + "' --key '" +
                               key().string() + "' -o '" + bundle.string() + "' --cache-dir '" + cache().string() +
                               "' & pid=$!; sleep 1.5; kill -INT $pid; wait $pid; echo $?";
    auto result = run_program("/bin/sh", {"-c", script}, dir());
    EXPECT_EQ(result.out, "130\n") << result.err;
    EXPECT_NE(result.err.find("interrupted"), std::string::npos) << result.err;
    EXPECT_FALSE(stdfs::exists(bundle));
    std::size_t leftovers = 0;
    for (const auto& entry : stdfs::recursive_directory_iterator(cache()))
        if (entry.is_regular_file()) ++leftovers;
    EXPECT_EQ(leftovers, 0u);
}

}  // namespace
}  // namespace gapbundle::testing
