#include <gapbundle/util/fs.hpp>

#include "support/test_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::fs {
namespace {

class FsTest : public gapbundle::testing::TestDirFixture {};

std::size_t count_entries(const stdfs::path& dir)
{
    return static_cast<std::size_t>(std::distance(stdfs::directory_iterator(dir), stdfs::directory_iterator()));
}

TEST_F(FsTest, AtomicFileAppearsOnlyOnCommit)
{
    const auto target = dir() / "out.txt";
    auto file = AtomicFile::create(target, 0640);
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->write("hello"));
    EXPECT_FALSE(stdfs::exists(target));
    ASSERT_TRUE(file->commit());
    EXPECT_EQ(gapbundle::testing::read_text(target), "hello");
    EXPECT_EQ(stdfs::status(target).permissions() & stdfs::perms::all,
              stdfs::perms::owner_read | stdfs::perms::owner_write | stdfs::perms::group_read);
    EXPECT_EQ(count_entries(dir()), 1u);
}

TEST_F(FsTest, AtomicFileIsRemovedWhenNeverCommitted)
{
    {
        auto file = AtomicFile::create(dir() / "out.txt");
        ASSERT_TRUE(file);
        ASSERT_TRUE(file->write("partial"));
    }
    EXPECT_EQ(count_entries(dir()), 0u);
}

TEST_F(FsTest, AtomicFileMoveAssignmentDiscardsTheOverwrittenTemp)
{
    auto first = AtomicFile::create(dir() / "a");
    auto second = AtomicFile::create(dir() / "b");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(count_entries(dir()), 2u);
    *first = std::move(*second);
    EXPECT_EQ(count_entries(dir()), 1u);
    ASSERT_TRUE(first->write("b"));
    ASSERT_TRUE(first->commit());
    EXPECT_EQ(gapbundle::testing::read_text(dir() / "b"), "b");
}

TEST_F(FsTest, AtomicFileRefusesToOverwriteWhenAsked)
{
    gapbundle::testing::write_text(dir() / "k", "old");
    auto file = AtomicFile::create(dir() / "k", 0600, AtomicFile::Overwrite::refuse);
    ASSERT_FALSE(file);
    EXPECT_EQ(file.error().code, ErrorCode::io);
    EXPECT_NE(file.error().message.find("already exists"), std::string::npos);
}

TEST_F(FsTest, TempDirIsRemovedWithItsContent)
{
    stdfs::path path;
    {
        auto temp = TempDir::create(dir(), "t.");
        ASSERT_TRUE(temp);
        path = temp->path();
        gapbundle::testing::write_text(path / "a/b", "x");
    }
    EXPECT_FALSE(stdfs::exists(path));
}

TEST_F(FsTest, UniqueFdClosesOnMoveAssignment)
{
    const int raw = ::open(dir().c_str(), O_RDONLY);
    UniqueFd a(raw);
    UniqueFd b(::open(dir().c_str(), O_RDONLY));
    a = std::move(b);
    EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
    EXPECT_TRUE(a.valid());
    EXPECT_FALSE(b.valid());
}

TEST_F(FsTest, ReadSmallFileEnforcesItsCap)
{
    gapbundle::testing::write_text(dir() / "f", "0123456789");
    EXPECT_EQ(read_small_file(dir() / "f", 10).value(), "0123456789");
    EXPECT_FALSE(read_small_file(dir() / "f", 9));
    auto missing = read_small_file(dir() / "nope", 10);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope"), std::string::npos);
}

TEST(RelativePathTest, AcceptsOrdinaryPaths)
{
    for (const char* ok : {"a", "files/tools/tokenizer.model", "a/b c/d-e_f.g", "dir/ünïcödé"})
        EXPECT_TRUE(check_relative_path(ok)) << ok;
}

TEST(RelativePathTest, RejectsEscapesAndOddNames)
{
    const std::vector<std::string> bad_paths{"", "/etc/x", "../x", "a/../../x", "a/./b", "a//b", "a/", "C:x", "a\\..\\x",
                                  std::string("a\0b", 3), std::string(256, 'x'), std::string("\xff\xfe"), "a\nb"};
    for (const std::string& bad : bad_paths) {
        auto st = check_relative_path(bad);
        EXPECT_FALSE(st) << bad;
        if (!st) {
            EXPECT_EQ(st.error().code, ErrorCode::verification);
        }
    }
    std::string deep;
    for (int i = 0; i < 65; ++i) deep += "d/";
    deep += "f";
    EXPECT_FALSE(check_relative_path(deep));
}

}  // namespace
}  // namespace gapbundle::fs
