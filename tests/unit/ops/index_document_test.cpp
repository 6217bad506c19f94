#include <gapbundle/ops/index_document.hpp>

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

namespace gapbundle::ops {
namespace {

class IndexDocumentTest : public gapbundle::testing::TestDirFixture {
protected:
    // An index.json as `gapbundle inspect --index` exports it; returns its text.
    std::string write_index() const
    {
        bundle::Index index;
        index.name = "nightly";
        index.serial = 20260101000000;
        index.created = "2026-01-01T00:00:00Z";
        index.producer = "gapbundle 0.1.0";
        index.manifest_sha256 = std::string(64, 'b');
        index.lock_sha256 = std::string(64, 'c');
        bundle::Entry entry;
        entry.path = "files/a.txt";
        entry.size = 3;
        entry.sha256 = std::string(64, 'a');
        std::vector<bundle::Entry> entries{entry};
        bundle::add_parent_dirs(entries);
        index.entries = std::move(entries);
        const std::string text = bundle::to_canonical_json(index);
        gapbundle::testing::write_text(dir() / "index.json", text);
        return text;
    }
};

// diff, pack --base and report's --base compare indexes without checking signatures: the bytes go
// once hashed. Only report's own bundle keeps them, to check its signatures.
TEST_F(IndexDocumentTest, KeepsTheIndexBytesOnlyWhenAsked)
{
    const std::string text = write_index();
    auto dropped = read_index_document(dir() / "index.json");
    ASSERT_TRUE(dropped) << dropped.error().message;
    EXPECT_TRUE(dropped->index_bytes.empty());
    EXPECT_EQ(dropped->index_sha256, crypto::sha256_hex(text));
    EXPECT_EQ(dropped->source, IndexSource::index_file);
    EXPECT_EQ(dropped->index.name, "nightly");
    ASSERT_EQ(dropped->index.entries.size(), 2U);  // files/ and files/a.txt

    auto kept = read_index_document(dir() / "index.json", IndexBytes::keep);
    ASSERT_TRUE(kept) << kept.error().message;
    EXPECT_EQ(kept->index_bytes, text);
    EXPECT_EQ(kept->index_sha256, dropped->index_sha256);
    EXPECT_EQ(kept->index.entries, dropped->index.entries);
}

TEST_F(IndexDocumentTest, AnIndexFileCutShortIsRefusedByName)
{
    const std::string text = write_index();
    gapbundle::testing::write_text(dir() / "index.json", text.substr(0, text.size() - 1));
    for (const auto bytes : {IndexBytes::drop, IndexBytes::keep}) {
        auto read = read_index_document(dir() / "index.json", bytes);
        ASSERT_FALSE(read);
        EXPECT_EQ(read.error().code, ErrorCode::verification);
        EXPECT_TRUE(read.error().message.starts_with((dir() / "index.json").string() + ": not valid JSON"))
            << read.error().message;
    }
}

}  // namespace
}  // namespace gapbundle::ops
