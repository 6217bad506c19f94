#include "../../../src/bundle/block_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

namespace gapbundle::bundle::detail {
namespace {

std::span<const std::byte> bytes(std::string_view text)
{
    return std::as_bytes(std::span(text.data(), text.size()));
}

// What the queue's thread saw: the bytes consumed, and how many of them each step came after.
struct Seen {
    std::string consumed;
    std::vector<std::size_t> steps_after;
};

BlockQueue::Consumer consume_into(Seen& seen)
{
    return [&seen](std::span<const std::byte> block) {
        seen.consumed.append(reinterpret_cast<const char*>(block.data()), block.size());
        return Status{};
    };
}

std::function<Status()> step_into(Seen& seen)
{
    return [&seen] {
        seen.steps_after.push_back(seen.consumed.size());
        return Status{};
    };
}

TEST(BlockQueueTest, AStepRunsOnceTheBytesBeforeItAreConsumedAndBeforeAnyAfterIt)
{
    Seen seen;
    BlockQueue queue(consume_into(seen), 4);
    ASSERT_TRUE(queue.append(bytes("abc")));
    ASSERT_TRUE(queue.then(step_into(seen)));
    ASSERT_TRUE(queue.then(step_into(seen)));  // an empty entry
    ASSERT_TRUE(queue.append(bytes("de")));
    ASSERT_TRUE(queue.then(step_into(seen)));
    ASSERT_TRUE(queue.append(bytes("f")));
    ASSERT_TRUE(queue.finish());
    EXPECT_EQ(seen.consumed, "abcdef");
    EXPECT_EQ(seen.steps_after, (std::vector<std::size_t>{3, 3, 5}));
}

// Small entries share a block: nothing is handed to the thread per entry, only when a block is
// full, or at finish().
TEST(BlockQueueTest, SmallEntriesShareOneBlockInsteadOfOneHandOverEach)
{
    Seen seen;
    std::atomic<int> steps = 0;
    BlockQueue queue(consume_into(seen), 4);
    for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(queue.append(bytes("0123456789")));
        ASSERT_TRUE(queue.then([&] {
            ++steps;
            return Status{};
        }));
    }
    EXPECT_EQ(steps.load(), 0);  // still in the block being filled
    ASSERT_TRUE(queue.finish());
    EXPECT_EQ(steps.load(), 100);
    EXPECT_EQ(seen.consumed.size(), 1000u);
}

TEST(BlockQueueTest, StepsOfEmptyEntriesGoABoundedNumberAtATimeAndInOrder)
{
    std::vector<int> order;
    BlockQueue queue([](std::span<const std::byte>) { return Status{}; }, 2);
    const int count = static_cast<int>(3 * k_marks_per_block + 5);
    for (int i = 0; i < count; ++i)
        ASSERT_TRUE(queue.then([&order, i] {
            order.push_back(i);
            return Status{};
        }));
    ASSERT_TRUE(queue.finish());
    ASSERT_EQ(order.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) ASSERT_EQ(order[static_cast<std::size_t>(i)], i);
}

TEST(BlockQueueTest, AFailingStepStopsWhatFollowsItAndItsErrorIsReturned)
{
    Seen seen;
    BlockQueue queue(consume_into(seen), 4);
    ASSERT_TRUE(queue.append(bytes("ab")));
    ASSERT_TRUE(queue.then(step_into(seen)));
    ASSERT_TRUE(queue.append(bytes("cd")));
    ASSERT_TRUE(queue.then([] { return fail(ErrorCode::verification, "second entry: sha256 differs"); }));
    ASSERT_TRUE(queue.append(bytes("ef")));
    ASSERT_TRUE(queue.then(step_into(seen)));
    const Status finished = queue.finish();
    ASSERT_FALSE(finished);
    EXPECT_EQ(finished.error().code, ErrorCode::verification);
    EXPECT_EQ(finished.error().message, "second entry: sha256 differs");
    EXPECT_EQ(seen.consumed, "abcd");
    EXPECT_EQ(seen.steps_after, (std::vector<std::size_t>{2}));
    EXPECT_FALSE(queue.status());
    EXPECT_FALSE(queue.append(bytes(std::string(k_block_bytes, 'x'))));  // refused once failed
}

// Bytes read straight into space() count only once committed, in order with appended bytes and
// steps; what was put there beyond the commit is not consumed.
TEST(BlockQueueTest, BytesReadIntoSpaceCountOnceCommittedInOrderWithAppendsAndSteps)
{
    Seen seen;
    BlockQueue queue(consume_into(seen), 4);
    ASSERT_TRUE(queue.append(bytes("ab")));
    auto space = queue.space();
    ASSERT_TRUE(space);
    ASSERT_EQ(space->size(), k_block_bytes - 2);
    std::ranges::copy(bytes("cdXY"), space->begin());
    ASSERT_TRUE(queue.commit(2));  // "XY" was read but is not part of the entry
    ASSERT_TRUE(queue.then(step_into(seen)));
    space = queue.space();
    ASSERT_TRUE(space);
    std::ranges::copy(bytes("ef"), space->begin());
    ASSERT_TRUE(queue.commit(2));
    ASSERT_TRUE(queue.append(bytes("g")));
    ASSERT_TRUE(queue.then(step_into(seen)));
    ASSERT_TRUE(queue.finish());
    EXPECT_EQ(seen.consumed, "abcdefg");
    EXPECT_EQ(seen.steps_after, (std::vector<std::size_t>{4, 7}));
}

// space() is the rest of the block being filled, so that reads into it fill every block whole;
// once the block is full the next space() is a whole new one, and the full one has gone.
TEST(BlockQueueTest, SpaceIsTheRestOfTheBlockAndAWholeBlockOnceItIsFull)
{
    std::vector<std::size_t> sizes;
    std::string consumed;
    BlockQueue queue(
        [&](std::span<const std::byte> block) {
            sizes.push_back(block.size());
            consumed.append(reinterpret_cast<const char*>(block.data()), block.size());
            return Status{};
        },
        2);
    ASSERT_TRUE(queue.append(bytes(std::string(k_block_bytes - 3, 'a'))));
    for (const char c : std::string("bcdefgh")) {  // three fill the first block, four start the next
        auto space = queue.space();
        ASSERT_TRUE(space);
        ASSERT_FALSE(space->empty());
        (*space)[0] = static_cast<std::byte>(c);
        ASSERT_TRUE(queue.commit(1));
    }
    EXPECT_EQ(queue.space()->size(), k_block_bytes - 4);
    ASSERT_TRUE(queue.finish());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{k_block_bytes, 4}));
    EXPECT_EQ(consumed, std::string(k_block_bytes - 3, 'a') + "bcdefgh");
}

}  // namespace
}  // namespace gapbundle::bundle::detail
