// parse_index_stream: the same index and the same refusals as parse_index, from text that comes in
// pieces of any size and is never held whole.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace gapbundle::bundle {
namespace {

// An index of a folder, a link and `count` files, one of them a delta's file from the base.
Index sample_index(int count)
{
    Index index;
    index.format = k_delta_format_version;
    index.name = "demo";
    index.channel = "nightly";
    index.serial = 20260102000000;
    index.created = "2026-01-02T00:00:00Z";
    index.producer = "gapbundle 0.1.0";
    index.manifest_sha256 = std::string(64, 'a');
    index.lock_sha256 = std::string(64, 'b');
    index.base = BaseRef{"nightly", 20260101000000, std::string(64, 'c')};
    std::vector<Entry> entries;
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "files/f%05d.bin", i);
        Entry& entry = entries.emplace_back();
        entry.path = name;
        entry.size = static_cast<std::uint64_t>(i);
        entry.sha256 = crypto::sha256_hex(name);
        if (i == 1) entry.set_path_in_base(name);
    }
    Entry& link = entries.emplace_back();
    link.path = "files/link";
    link.type = EntryType::symlink;
    link.link_target = "f00000.bin";
    add_parent_dirs(entries);
    index.entries = std::move(entries);
    return index;
}

// Hands `text` out `piece` bytes at a time, then an end; the pieces live only until the next call.
IndexTextSource pieces_of(const std::string& text, std::size_t piece)
{
    return [&text, piece, at = std::size_t{0}, held = std::string()]() mutable -> Result<std::string_view> {
        held = text.substr(at, std::min(piece, text.size() - at));
        at += held.size();
        return std::string_view(held);
    };
}

std::string error_of(const Result<StreamedIndex>& parsed)
{
    return parsed ? std::string("(parsed)") : parsed.error().message;
}

TEST(IndexStreamTest, GivesTheWholeTextsIndexAndDigestFromPiecesOfAnySize)
{
    const std::string text = to_canonical_json(sample_index(3000));
    auto whole = parse_index(text);
    ASSERT_TRUE(whole) << whole.error().message;
    // The size hint only reserves: wrong ones change nothing.
    for (const auto& [piece, hint] : {std::pair<std::size_t, std::uint64_t>{1, text.size()}, {7, 0},
                                      {4096, text.size()}, {text.size(), std::uint64_t{1} << 40}}) {
        auto streamed = parse_index_stream(pieces_of(text, piece), hint);
        ASSERT_TRUE(streamed) << piece << ": " << streamed.error().message;
        EXPECT_EQ(streamed->index, *whole) << piece;
        EXPECT_EQ(streamed->sha256, crypto::sha256_hex(text)) << piece;
        EXPECT_EQ(streamed->index.entries[2].base_path, BasePath::same) << piece;  // files/f00001.bin
    }
}

TEST(IndexStreamTest, RefusesWhatTheWholeTextsParseRefusesWithTheSameMessage)
{
    const std::string good = to_canonical_json(sample_index(3));
    std::string spaced = good;
    spaced.insert(1, " ");
    std::string unsorted = good;
    const auto first = unsorted.find("f00000.bin");
    const auto second = unsorted.find("f00001.bin");
    unsorted.replace(first, 10, "f00001.bin");
    unsorted.replace(second, 10, "f00000.bin");
    for (const std::string& text : {spaced, good + " ", good + "{}", good.substr(0, good.size() / 2), unsorted,
                                    std::string(R"({"entries":"files"})"), std::string("[]")}) {
        auto whole = parse_index(text);
        ASSERT_FALSE(whole) << text;
        for (const std::size_t piece : {std::size_t{1}, std::size_t{64}, text.size()})
            EXPECT_EQ(error_of(parse_index_stream(pieces_of(text, piece), text.size())), whole.error().message) << text;
    }
    EXPECT_EQ(error_of(parse_index_stream(pieces_of(spaced, 5), spaced.size())),
              "gapbundle/index.json: not in canonical form");
}

// The same index and the same length as the canonical text, the keys of one entry out of order: the
// digest catches what the length cannot.
TEST(IndexStreamTest, RefusesTheRightIndexInTheWrongOrderOfTheSameLength)
{
    std::string text = to_canonical_json(sample_index(3));
    const std::string canonical = R"({"mode":493,"path":"files","type":"dir"})";
    const auto at = text.find(canonical);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, canonical.size(), R"({"path":"files","mode":493,"type":"dir"})");
    ASSERT_TRUE(parse_index_stream(pieces_of(to_canonical_json(sample_index(3)), 100), 0));
    EXPECT_EQ(error_of(parse_index_stream(pieces_of(text, 100), text.size())),
              "gapbundle/index.json: not in canonical form");
}

TEST(IndexStreamTest, ReturnsTheSourcesErrorNotTheJsonItCutShort)
{
    const std::string text = to_canonical_json(sample_index(100));
    int calls = 0;
    const IndexTextSource failing = [&]() -> Result<std::string_view> {
        if (++calls == 3) return fail(ErrorCode::io, "bundle.tar: read: Input/output error");
        return std::string_view(text).substr(static_cast<std::size_t>(calls - 1) * 100, 100);
    };
    auto parsed = parse_index_stream(failing, text.size());
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::io);
    EXPECT_EQ(parsed.error().message, "bundle.tar: read: Input/output error");
    EXPECT_EQ(calls, 3);  // not asked again once it failed
}

TEST(IndexStreamTest, StopsReadingPastTheCap)
{
    const std::string blanks(64 << 10, ' ');  // whitespace: the parser reads on, waiting for a value
    std::uint64_t handed = 0;
    const IndexTextSource endless = [&]() -> Result<std::string_view> {
        handed += blanks.size();
        return std::string_view(blanks);
    };
    auto parsed = parse_index_stream(endless, 0);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "gapbundle/index.json: larger than " + std::to_string(k_max_index_bytes) + " bytes");
    EXPECT_EQ(handed, k_max_index_bytes + blanks.size());
}

}  // namespace
}  // namespace gapbundle::bundle
