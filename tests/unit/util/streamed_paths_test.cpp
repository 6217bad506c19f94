#include <gapbundle/util/streamed_paths.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle {
namespace {

using nlohmann::json;

// What one item of "items" left: the paths taken out and the item as the tree kept it.
struct Taken {
    std::vector<std::string> paths;
    json rest;
};

// Parses {"items": [...]} the way the index and the lock parse their components.
std::vector<Taken> parse_items(const std::string& text)
{
    std::vector<Taken> items;
    StreamedPaths paths;
    const json document = json::parse(text, [&](int depth, json::parse_event_t event, json& parsed) {
        using Event = json::parse_event_t;
        const bool item_done = event == Event::object_end || event == Event::array_end || event == Event::value;
        if (depth == 2 && item_done) {
            const PathList taken = paths.release();
            items.push_back({{taken.begin(), taken.end()}, parsed});
            return false;
        }
        return !paths.take(depth, event, parsed);
    });
    EXPECT_EQ(document, json::parse(R"({"items": []})"));  // every item left the tree
    return items;
}

TEST(StreamedPathsTest, TakesTheStringsOfEachItemsPathsAndLeavesTheRest)
{
    const auto items = parse_items(
        R"({"items": [{"name": "a", "paths": ["x/1", "x/2"], "requested": ["r"]},)"
        R"( {"paths": [], "name": "b"}, {"paths": ["y", ["nested"], {"k": "v"}, 3]}]})");
    ASSERT_EQ(items.size(), 3U);
    EXPECT_EQ(items[0].paths, (std::vector<std::string>{"x/1", "x/2"}));
    EXPECT_EQ(items[0].rest, json::parse(R"({"name": "a", "paths": [], "requested": ["r"]})"));
    EXPECT_TRUE(items[1].paths.empty());
    EXPECT_EQ(items[1].rest, json::parse(R"({"name": "b", "paths": []})"));
    // Only the item's own strings are taken: what is not one stays, for the item's checks to refuse.
    EXPECT_EQ(items[2].paths, (std::vector<std::string>{"y"}));
    EXPECT_EQ(items[2].rest, json::parse(R"({"paths": [["nested"], {"k": "v"}, 3]})"));
}

TEST(StreamedPathsTest, AnItemsEndLeavesPaths)
{
    // The first item's last key is a "paths" that is no list: the next item, no object, must not
    // have its strings taken as paths.
    const auto items = parse_items(R"({"items": [{"paths": "x"}, [["a", "b"]], {"other": ["c"]}]})");
    ASSERT_EQ(items.size(), 3U);
    for (const auto& item : items) EXPECT_TRUE(item.paths.empty()) << item.rest.dump();
    EXPECT_EQ(items[1].rest, json::parse(R"([["a", "b"]])"));
    EXPECT_EQ(items[2].rest, json::parse(R"({"other": ["c"]})"));
}

TEST(StreamedPathsTest, ReleaseEmptiesTheList)
{
    StreamedPaths paths;
    using Event = json::parse_event_t;
    EXPECT_FALSE(paths.take(3, Event::key, json("paths")));
    EXPECT_TRUE(paths.take(4, Event::value, json("p")));
    EXPECT_EQ(paths.release().size(), 1U);
    EXPECT_EQ(paths.release().size(), 0U);
    EXPECT_FALSE(paths.take(4, Event::value, json("q")));  // release left "paths"
}

}  // namespace
}  // namespace gapbundle
