#include <gapbundle/crypto/git_blob.hpp>

#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gapbundle::crypto {
namespace {

namespace stdfs = std::filesystem;

class GitBlobTest : public gapbundle::testing::TestDirFixture {};

TEST(GitBlobHasherTest, MatchesKnownVectors)
{
    // Values git itself gives (`git hash-object`); the last is the Pro Git book's example.
    EXPECT_EQ(git_blob_sha1_hex(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    EXPECT_EQ(git_blob_sha1_hex("hello world\n"), "3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
    EXPECT_EQ(git_blob_sha1_hex("what is up, doc?"), "bd9dbf5aae1a3862dd1526723246b20206e5fc37");
}

TEST(GitBlobHasherTest, StreamsInChunksLikeOneShot)
{
    const std::string content = "line one\nline two\n" + std::string(5000, 'x');
    GitBlobHasher hasher(content.size());
    for (std::size_t i = 0; i < content.size(); i += 7) hasher.update(std::string_view(content).substr(i, 7));
    EXPECT_EQ(hasher.bytes_fed(), content.size());
    auto hex = hasher.finish_hex();
    ASSERT_TRUE(hex) << hex.error().message;
    EXPECT_EQ(*hex, git_blob_sha1_hex(content));
}

TEST(GitBlobHasherTest, FeedsBytesAsSpans)
{
    const std::string content = "abc";
    GitBlobHasher hasher(3);
    hasher.update(std::as_bytes(std::span(content.data(), content.size())));
    EXPECT_EQ(*hasher.finish_hex(), git_blob_sha1_hex("abc"));
}

TEST(GitBlobHasherTest, RefusesFewerBytesThanDeclared)
{
    GitBlobHasher hasher(10);
    hasher.update("abc");
    auto hex = hasher.finish_hex();
    ASSERT_FALSE(hex);
    EXPECT_EQ(hex.error().code, ErrorCode::download);
    EXPECT_EQ(hex.error().message, "git blob hash: 3 bytes given for a blob of 10 bytes");
}

TEST(GitBlobHasherTest, RefusesMoreBytesThanDeclared)
{
    GitBlobHasher hasher(0);
    hasher.update("a");
    EXPECT_FALSE(hasher.finish_hex());
}

TEST(GitBlobHasherTest, MoveAssignmentKeepsTheState)
{
    GitBlobHasher first(3);
    first.update("ab");
    GitBlobHasher second(100);
    second = std::move(first);
    second.update("c");
    EXPECT_EQ(*second.finish_hex(), git_blob_sha1_hex("abc"));
    GitBlobHasher third(std::move(second));
    EXPECT_EQ(third.bytes_fed(), 3u);
}

TEST(GitBlobHasherTest, DiffersFromPlainSha1)
{
    // sha1("") is da39a3ee...; a git blob hashes its header too.
    EXPECT_NE(git_blob_sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

std::string git_hash_object(const stdfs::path& file, const stdfs::path& scratch)
{
    const auto run =
        gapbundle::testing::run_program("/usr/bin/git", {"hash-object", "--no-filters", file.string()}, scratch);
    EXPECT_EQ(run.status, 0) << run.err;
    std::string out = run.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

TEST_F(GitBlobTest, AgreesWithGitHashObjectOnGeneratedFiles)
{
    if (!stdfs::exists("/usr/bin/git")) GTEST_SKIP() << "git is not installed";
    const stdfs::path scratch = dir() / "scratch";
    stdfs::create_directories(scratch);
    std::string binary;
    for (int i = 0; i < 70000; ++i) binary.push_back(static_cast<char>((i * 131 + i / 7) & 0xff));
    const std::vector<std::pair<std::string, std::string>> files = {
        {"empty", ""},
        {"text.txt", "{\n  \"model_type\": \"bert\"\n}\n"},
        {"crlf.txt", "a\r\nb\r\n"},
        {"nul", std::string("a\0b\0", 4)},
        {"binary.bin", binary},
        {"two-megabytes", std::string((2 << 20) + 3, 'z')},
    };
    for (const auto& [name, content] : files) {
        const stdfs::path path = dir() / name;
        gapbundle::testing::write_text(path, content);
        auto ours = git_blob_sha1_file(path);
        ASSERT_TRUE(ours) << ours.error().message;
        EXPECT_EQ(*ours, git_hash_object(path, scratch)) << name;
        EXPECT_EQ(*ours, git_blob_sha1_hex(content)) << name;
    }
}

TEST_F(GitBlobTest, FileErrorsNameThePath)
{
    auto missing = git_blob_sha1_file(dir() / "missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::io);
    EXPECT_EQ(missing.error().message, (dir() / "missing").string() + ": cannot open: No such file or directory");
    auto folder = git_blob_sha1_file(dir());
    ASSERT_FALSE(folder);
    EXPECT_EQ(folder.error().message, dir().string() + ": not a regular file");
}

}  // namespace
}  // namespace gapbundle::crypto
