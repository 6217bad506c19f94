#include <gapbundle/util/process.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace gapbundle::process {
namespace {

TEST(RunCapturingTest, KeepsBothStreamsAndTheExitStatus)
{
    auto ran = run_capturing({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(ran->status, 3);
    EXPECT_NE(ran->output.find("out\n"), std::string::npos) << ran->output;
    EXPECT_NE(ran->output.find("err\n"), std::string::npos) << ran->output;
}

TEST(RunCapturingTest, KeepsTheFirstBytesOnlyButReadsToTheEnd)
{
    auto ran = run_capturing({"/bin/sh", "-c", "head -c 100000 /dev/zero; exit 0"}, 1000);
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(ran->status, 0);
    EXPECT_EQ(ran->output.size(), 1000u);
}

TEST(RunCapturingTest, AProgramThatIsNotThereIsAnIoErrorNamingIt)
{
    auto ran = run_capturing({"gapbundle-no-such-program"});
    ASSERT_FALSE(ran);
    EXPECT_EQ(ran.error().code, ErrorCode::io);
    EXPECT_NE(ran.error().message.find("gapbundle-no-such-program"), std::string::npos) << ran.error().message;
}

class BackgroundTest : public testing::TestDirFixture {};

TEST_F(BackgroundTest, RunsUntilTheHandleGoesAndLogsItsOutput)
{
    const auto log = dir() / "server.log";
    {
        auto server = Background::start({"/bin/sh", "-c", "echo started; exec sleep 60"}, log);
        ASSERT_TRUE(server) << server.error().message;
        EXPECT_TRUE(server->running());
        for (int i = 0; i < 100 && testing::read_text(log).empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_EQ(testing::read_text(log), "started\n");
    }  // killed and waited for here, so this does not take a minute
    auto ended = Background::start({"/bin/sh", "-c", "exit 0"}, log);
    ASSERT_TRUE(ended) << ended.error().message;
    for (int i = 0; i < 200 && ended->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(ended->running());
}

}  // namespace
}  // namespace gapbundle::process
