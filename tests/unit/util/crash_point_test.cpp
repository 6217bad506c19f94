#include <gapbundle/util/crash_point.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

namespace gapbundle {
namespace {

// The variable is read once per process: each case runs in a fresh one ("threadsafe" death tests
// start the test binary again), with the variable set before.
class CrashPointTest : public ::testing::Test {
protected:
    void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
    void TearDown() override { ::unsetenv("GAPBUNDLE_CRASH_AT"); }
};

TEST_F(CrashPointTest, KillsAtTheNthPassOfTheNamedPoint)
{
    ::setenv("GAPBUNDLE_CRASH_AT", "step:3", 1);
    EXPECT_EXIT(
        {
            crash::point("step");
            crash::point("other");
            crash::point("step");
            std::fputs("passed twice\n", stderr);
            crash::point("step");
            std::exit(0);
        },
        ::testing::KilledBySignal(SIGKILL), "passed twice");
}

TEST_F(CrashPointTest, WithoutACountKillsAtTheFirstPass)
{
    ::setenv("GAPBUNDLE_CRASH_AT", "step", 1);
    EXPECT_EXIT(
        {
            crash::point("step-not");
            crash::point("step");
            std::exit(0);
        },
        ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(CrashPointTest, OtherPointsAndABadCountNeverKill)
{
    for (const char* value : {"step:0", "step:x", "other", ""}) {
        ::setenv("GAPBUNDLE_CRASH_AT", value, 1);
        EXPECT_EXIT(
            {
                for (int i = 0; i < 5; ++i) crash::point("step");
                std::exit(0);
            },
            ::testing::ExitedWithCode(0), "")
            << value;
    }
}

}  // namespace
}  // namespace gapbundle
