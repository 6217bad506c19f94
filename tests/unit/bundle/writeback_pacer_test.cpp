// The pacer that starts the disk on an unpack's bytes while they are still being written.
#include "../../../src/bundle/writeback_pacer.hpp"

#include "support/test_dir.hpp"

#include <chrono>
#include <fcntl.h>
#include <thread>

namespace gapbundle::bundle::detail {
namespace {

using testing::TestDirFixture;
using testing::write_text;

class WritebackPacerTest : public TestDirFixture {
protected:
    UniqueFd folder() const { return UniqueFd(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); }

    static bool flushed_within(const WritebackPacer& pacer, std::uint64_t at_least, std::chrono::seconds limit)
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (pacer.flushes() < at_least) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return true;
    }
};

TEST_F(WritebackPacerTest, FlushesOnceAStepHasBeenWrittenAndAgainForTheNext)
{
    WritebackPacer pacer(folder(), 1 << 20);
    write_text(dir() / "a.bin", std::string(1 << 20, 'a'));
    pacer.wrote(600 << 10);
    pacer.wrote(600 << 10);  // together over one step: the thread flushes while this thread goes on
    ASSERT_TRUE(flushed_within(pacer, 1, std::chrono::seconds(30))) << "no syncfs after a step was written";
    write_text(dir() / "b.bin", std::string(1 << 20, 'b'));
    pacer.wrote(1 << 20);
    ASSERT_TRUE(flushed_within(pacer, 2, std::chrono::seconds(30))) << "no second syncfs after the next step";
    pacer.stop();
}

TEST_F(WritebackPacerTest, LessThanAStepStartsNoFlush)
{
    WritebackPacer pacer(folder(), 1 << 20);
    pacer.wrote((1 << 20) - 1);
    pacer.stop();
    EXPECT_EQ(pacer.flushes(), 0u);
}

TEST_F(WritebackPacerTest, NothingIsFlushedAfterStopAndStopCanBeCalledAgain)
{
    WritebackPacer pacer(folder(), 1 << 20);
    pacer.stop();
    pacer.wrote(std::uint64_t{64} << 20);
    pacer.stop();
    EXPECT_EQ(pacer.flushes(), 0u);
}

TEST_F(WritebackPacerTest, WithoutAFolderItNeverFlushes)
{
    WritebackPacer pacer(UniqueFd{}, 1 << 20);
    pacer.wrote(std::uint64_t{64} << 20);
    pacer.stop();
    EXPECT_EQ(pacer.flushes(), 0u);
}

}  // namespace
}  // namespace gapbundle::bundle::detail
