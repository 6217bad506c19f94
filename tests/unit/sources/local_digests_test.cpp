#include <gapbundle/store/local_digests.hpp>

#include <gapbundle/crypto/sha256.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sys/stat.h>
#include <thread>

namespace gapbundle::store {
namespace {

namespace stdfs = std::filesystem;
using gapbundle::testing::read_text;
using gapbundle::testing::write_text;

// The records are read beside the walk and written anew beside it; these cases pin down what
// that stream does with files asked for, skipped, out of order, and with a damaged file.
class LocalDigestsTest : public gapbundle::testing::TestDirFixture {
protected:
    void SetUp() override
    {
        TestDirFixture::SetUp();
        auto store = Store::open(dir() / "cache");
        ASSERT_TRUE(store) << store.error().message;
        m_store.emplace(std::move(*store));
        for (const char* name : {"a", "b", "c", "d"}) write_text(file(name), std::string("content of ") + name);
        // Files changed in the last 2 seconds are never recorded.
        std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    }

    [[nodiscard]] stdfs::path file(const std::string& name) const { return dir() / "data" / name; }
    [[nodiscard]] stdfs::path records() const { return dir() / "cache" / "local" / crypto::sha256_hex("entry"); }

    // Opens the records, asks for `names` in that order and saves; returns how many were read.
    std::size_t ask(const std::vector<std::string>& names, std::vector<std::string>* digests = nullptr)
    {
        auto local = LocalDigests::open(*m_store, "entry");
        EXPECT_TRUE(local) << local.error().message;
        for (const auto& name : names) {
            auto digest = local->digest(file(name));
            EXPECT_TRUE(digest) << digest.error().message;
            if (digests) digests->push_back(digest->sha256);
        }
        EXPECT_TRUE(local->save());
        return local->files_hashed();
    }

    std::optional<Store> m_store;
};

ino_t inode_of(const stdfs::path& path)
{
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

TEST_F(LocalDigestsTest, RecordsInPathOrderAndReadsNothingTheSecondTime)
{
    EXPECT_EQ(ask({"a", "b", "c", "d"}), 4u);
    const std::string first = read_text(records());
    EXPECT_LT(first.find("/data/a\n"), first.find("/data/b\n"));
    EXPECT_LT(first.find("/data/c\n"), first.find("/data/d\n"));
    const auto inode = inode_of(records());

    std::vector<std::string> digests;
    EXPECT_EQ(ask({"a", "b", "c", "d"}, &digests), 0u);
    EXPECT_EQ(digests[1], crypto::sha256_hex("content of b"));
    EXPECT_EQ(inode_of(records()), inode) << "the records were rewritten though nothing changed";
    for (const auto& entry : stdfs::directory_iterator(records().parent_path()))
        EXPECT_EQ(entry.path(), records()) << "a temporary file was left behind";
}

TEST_F(LocalDigestsTest, TrustsARecordWithoutReadingTheFile)
{
    ASSERT_EQ(ask({"a", "b", "c"}), 3u);
    std::string text = read_text(records());
    const std::string real = crypto::sha256_hex("content of b");
    text.replace(text.find(real), real.size(), std::string(64, 'e'));
    write_text(records(), text);
    std::vector<std::string> digests;
    EXPECT_EQ(ask({"a", "b", "c"}, &digests), 0u);
    EXPECT_EQ(digests[1], std::string(64, 'e'));
}

TEST_F(LocalDigestsTest, DropsTheRecordsOfFilesNotAskedFor)
{
    ASSERT_EQ(ask({"a", "b", "c", "d"}), 4u);
    EXPECT_EQ(ask({"b", "d"}), 0u);
    const std::string text = read_text(records());
    EXPECT_EQ(text.find("/data/a\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("/data/c\n"), std::string::npos) << text;
    EXPECT_NE(text.find("/data/d\n"), std::string::npos) << text;
}

TEST_F(LocalDigestsTest, HashesAFileAskedForOutOfOrderAndDoesNotRecordIt)
{
    ASSERT_EQ(ask({"a", "b", "c", "d"}), 4u);
    EXPECT_EQ(ask({"c", "a", "d"}), 1u);  // a comes after c: hashed
    const std::string text = read_text(records());
    EXPECT_EQ(text.find("/data/a\n"), std::string::npos) << text;
    EXPECT_NE(text.find("/data/c\n"), std::string::npos) << text;
    EXPECT_NE(text.find("/data/d\n"), std::string::npos) << text;
}

TEST_F(LocalDigestsTest, TrustsNothingPastADamagedOrUnsortedLine)
{
    ASSERT_EQ(ask({"a", "b", "c", "d"}), 4u);
    std::string text = read_text(records());
    const auto b_line = text.find(crypto::sha256_hex("content of b"));
    text.insert(b_line, "not a record\n");
    write_text(records(), text);
    EXPECT_EQ(ask({"a", "b", "c", "d"}), 3u);  // a still counts
    EXPECT_EQ(read_text(records()).find("not a record"), std::string::npos);
    EXPECT_EQ(ask({"a", "b", "c", "d"}), 0u);  // and the rewritten file is whole again

    // c's line moved before b's: b is read (its record is not where the stream is), c's record
    // counts, and the stream stops at b's line, out of order, so d is read too.
    text = read_text(records());
    const auto b_at = text.find(crypto::sha256_hex("content of b"));
    const auto c_at = text.find(crypto::sha256_hex("content of c"));
    const auto d_at = text.find(crypto::sha256_hex("content of d"));
    write_text(records(), text.substr(0, b_at) + text.substr(c_at, d_at - c_at) + text.substr(b_at, c_at - b_at) +
                              text.substr(d_at));
    EXPECT_EQ(ask({"a", "b", "c", "d"}), 2u);
    EXPECT_EQ(ask({"a", "b", "c", "d"}), 0u);
}

}  // namespace
}  // namespace gapbundle::store
