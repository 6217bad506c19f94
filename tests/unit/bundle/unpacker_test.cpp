#include "bundle_fixture.hpp"

#include "../../../src/bundle/staging_sink.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace gapbundle::bundle {
namespace {

namespace stdfs = std::filesystem;
using gapbundle::testing::read_text;
using gapbundle::testing::write_text;

class UnpackerTest : public test::BundleTest {
protected:
    UnpackOptions options(ExistingDestination existing = ExistingDestination::refuse) const
    {
        UnpackOptions out;
        out.verify = trust_options();
        out.existing = existing;
        return out;
    }
    static unsigned mode_of(const stdfs::path& path)
    {
        struct stat st{};
        EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
        return st.st_mode & 07777;
    }
};

// The sink does not keep the signed index bytes: it writes index.json again from the verified
// index, and refuses to finish if that text does not hash to what was signed.
TEST_F(UnpackerTest, TheIndexFileIsWrittenAgainAndMustHashToTheSignedBytes)
{
    auto payload = test::sample_payload();
    const Index index = payload.index();
    const std::string text = to_canonical_json(index);
    for (const bool signed_matches : {true, false}) {
        const auto staging = dir() / (signed_matches ? "good" : "bad");
        stdfs::create_directories(staging);
        auto sink = detail::StagingSink::open(staging);
        ASSERT_TRUE(sink) << sink.error().message;
        ASSERT_TRUE(sink->accept_head("{\"signatures\":[]}"));
        auto finished = sink->finish(index, signed_matches ? crypto::sha256_hex(text) : crypto::sha256_hex(text + " "));
        if (signed_matches) {
            ASSERT_TRUE(finished) << finished.error().message;
            EXPECT_EQ(read_text(staging / "gapbundle/index.json"), text);
            EXPECT_EQ(read_text(staging / "gapbundle/index.json.sig"), "{\"signatures\":[]}");
        } else {
            ASSERT_FALSE(finished);
            EXPECT_EQ(finished.error().code, ErrorCode::internal);
            EXPECT_EQ(finished.error().message, (staging / "gapbundle/index.json").string() +
                                                    ": written again from the verified index, it differs from the "
                                                    "signed bytes");
            EXPECT_FALSE(stdfs::exists(staging / "gapbundle/index.json.sig"));
        }
    }
}

TEST_F(UnpackerTest, UnpacksIntoNewFolder)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    const auto dest = dir() / "dest";
    auto report = unpack_bundle(bundle, dest, options());
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->verify.ok());
    EXPECT_EQ(report->files_written, 4u);
    EXPECT_EQ(read_text(dest / "files/a.txt"), "hello payload\n");
    EXPECT_EQ(read_text(dest / "files/big.bin"), payload.contents.at("files/big.bin"));
    EXPECT_EQ(mode_of(dest / "files/tools/run.sh"), 0755u);
    EXPECT_EQ(mode_of(dest / "files/a.txt"), 0644u);
    EXPECT_EQ(mode_of(dest / "files"), 0755u);
    EXPECT_EQ(mode_of(dest), 0755u);
    EXPECT_EQ(stdfs::read_symlink(dest / "files/link"), "a.txt");
    EXPECT_EQ(read_text(dest / "gapbundle/index.json"), to_canonical_json(payload.index()));
    EXPECT_TRUE(stdfs::exists(dest / "gapbundle/index.json.sig"));
    EXPECT_EQ(read_text(dest / "gapbundle/SHA256SUMS"), payload.contents.at("gapbundle/SHA256SUMS"));
    EXPECT_TRUE(leftover_staging().empty());
}

// An unpack killed midway leaves its staging folder; the next unpack into the same folder, which
// holds the folder's lock, knows no other unpack owns it and removes it.
TEST_F(UnpackerTest, SweepsTheStagingFoldersAKilledUnpackLeft)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    const auto stale = dir() / ".dest.gapbundle-staging.Ab12Cd";
    const auto other = dir() / ".elsewhere.gapbundle-staging.Zz99Yy";
    stdfs::create_directories(stale / "files");
    write_text(stale / "files" / "half.bin", "half of a file");
    stdfs::create_directories(other);
    write_text(dir() / ".keep-me", "not a staging folder");
    auto report = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->verify.ok());
    EXPECT_FALSE(stdfs::exists(stale));
    EXPECT_FALSE(stdfs::exists(other));
    EXPECT_TRUE(stdfs::exists(dir() / ".keep-me"));
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, UnpacksIntoEmptyFolder)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    stdfs::create_directories(dir() / "dest");
    auto report = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->verify.ok());
    EXPECT_TRUE(stdfs::exists(dir() / "dest/files/a.txt"));
}

TEST_F(UnpackerTest, RefusesNonEmptyDestination)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    write_text(dir() / "dest/mine.txt", "mine");
    auto report = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::usage);
    EXPECT_EQ(report.error().message, (dir() / "dest").string() + ": exists and is not empty (use --merge to add to it)");
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, MergeAddsNewFiles)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    write_text(dir() / "dest/mine.txt", "mine");
    write_text(dir() / "dest/files/old.txt", "old");
    auto report = unpack_bundle(bundle, dir() / "dest", options(ExistingDestination::merge));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->verify.ok());
    EXPECT_EQ(read_text(dir() / "dest/mine.txt"), "mine");
    EXPECT_EQ(read_text(dir() / "dest/files/old.txt"), "old");
    EXPECT_EQ(read_text(dir() / "dest/files/a.txt"), "hello payload\n");
    EXPECT_EQ(read_text(dir() / "dest/files/tools/run.sh"), "#!/bin/sh\necho run\n");
    EXPECT_EQ(report->files_written, 4u);
    EXPECT_EQ(report->files_unchanged, 0u);
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, MergeAcceptsIdenticalFiles)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    auto first = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_TRUE(first && first->verify.ok());
    auto again = unpack_bundle(bundle, dir() / "dest", options(ExistingDestination::merge));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->verify.ok());
    EXPECT_EQ(again->files_unchanged, 3u);  // SHA256SUMS is bundle metadata: replaced
    EXPECT_EQ(again->files_written, 1u);
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, MergeRefusesChangedFile)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    write_text(dir() / "dest/files/a.txt", "local edit\n");
    auto report = unpack_bundle(bundle, dir() / "dest", options(ExistingDestination::merge));
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::io);
    EXPECT_EQ(report.error().message, (dir() / "dest/files/a.txt").string() +
                                          ": exists with different content; nothing was changed (unpack into an empty "
                                          "folder instead)");
    EXPECT_EQ(read_text(dir() / "dest/files/a.txt"), "local edit\n");
    EXPECT_FALSE(stdfs::exists(dir() / "dest/files/big.bin"));
    EXPECT_FALSE(stdfs::exists(dir() / "dest/gapbundle"));
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, MergeRefusesSymlinkedFolderInDestination)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    stdfs::create_directories(dir() / "elsewhere");
    stdfs::create_directories(dir() / "dest");
    stdfs::create_directory_symlink(dir() / "elsewhere", dir() / "dest/files");
    auto report = unpack_bundle(bundle, dir() / "dest", options(ExistingDestination::merge));
    ASSERT_FALSE(report);
    EXPECT_TRUE(stdfs::is_empty(dir() / "elsewhere"));
    EXPECT_TRUE(leftover_staging().empty());
}

TEST_F(UnpackerTest, LeavesExistingDestinationUntouchedOnProblem)
{
    auto payload = test::sample_payload();
    const auto bundle = write_good(payload);
    test::flip_byte_after(bundle, "hello payload", 0);
    write_text(dir() / "dest/mine.txt", "mine");
    auto report = unpack_bundle(bundle, dir() / "dest", options(ExistingDestination::merge));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_FALSE(report->verify.ok());
    EXPECT_EQ(report->verify.problems.at(0).kind, "hash");
    EXPECT_EQ(report->verify.problems.size(), 1u);  // stops at the first problem
    std::vector<stdfs::path> content;
    for (const auto& item : stdfs::recursive_directory_iterator(dir() / "dest")) content.push_back(item.path());
    EXPECT_EQ(content, std::vector<stdfs::path>{dir() / "dest/mine.txt"});
    EXPECT_TRUE(leftover_staging().empty());
}

// Files are hashed on a second thread while they are written: several in a row must each be
// checked on its own (a hash carried over from the previous file would fail them).
TEST_F(UnpackerTest, UnpacksBigFilesHashedAsideOneAfterAnother)
{
    test::Payload payload;
    std::string first(5 << 20, '\0');
    std::string second(9 << 20, '\0');
    for (std::size_t i = 0; i < first.size(); ++i) first[i] = static_cast<char>(i * 7 + i / 4096);
    for (std::size_t i = 0; i < second.size(); ++i) second[i] = static_cast<char>(i * 13 + i / 333);
    payload.file("files/a.bin", first);
    payload.file("files/b.bin", second);
    payload.file("files/c.txt", "small\n");
    const auto bundle = write_good(payload);
    auto report = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->verify.ok()) << report->verify.problems.at(0).message;
    EXPECT_EQ(read_text(dir() / "dest/files/a.bin"), first);
    EXPECT_EQ(read_text(dir() / "dest/files/b.bin"), second);
}

TEST_F(UnpackerTest, RefusesABigFileWhoseBytesDifferFromTheIndex)
{
    test::Payload payload;
    std::string big(6 << 20, 'x');
    big.replace(big.size() - 16, 16, "the last bytes!!");
    payload.file("files/big.bin", big);
    const auto bundle = write_good(payload);
    test::flip_byte_after(bundle, "the last bytes!!", 4);
    auto report = unpack_bundle(bundle, dir() / "dest", options());
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_FALSE(report->verify.ok());
    EXPECT_EQ(report->verify.problems.at(0).kind, "hash");
    EXPECT_EQ(report->verify.problems.at(0).path, "files/big.bin");
    EXPECT_FALSE(stdfs::exists(dir() / "dest"));
    EXPECT_TRUE(leftover_staging().empty());
}

// The second thread's verdict on a file comes back while later files are written, or at the
// end: either way the report names that file, once, and nothing is kept.
TEST_F(UnpackerTest, NamesTheFileWhoseAsideHashFailedWhereverItComesBack)
{
    for (const std::string tampered : {"files/f000.txt", "files/f199.txt"}) {
        SCOPED_TRACE(tampered);
        test::Payload payload;
        for (int i = 0; i < 200; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "files/f%03d.txt", i);
            payload.file(name, std::string(name) + ": body of a small file\n");
        }
        const auto bundle = write_good(payload, tampered == "files/f000.txt" ? "first.tar" : "last.tar");
        test::flip_byte_after(bundle, tampered + ": body", 0);
        const auto dest = dir() / ("dest-" + tampered.substr(6, 4));
        auto report = unpack_bundle(bundle, dest, options());
        ASSERT_TRUE(report) << report.error().message;
        ASSERT_EQ(report->verify.problems.size(), 1u) << report->verify.problems.at(1).message;
        EXPECT_EQ(report->verify.problems.at(0).kind, "hash");
        EXPECT_EQ(report->verify.problems.at(0).path, tampered);
        EXPECT_NE(report->verify.problems.at(0).message.find("the index says"), std::string::npos);
        EXPECT_FALSE(stdfs::exists(dest));
        EXPECT_TRUE(leftover_staging().empty());
    }
}

}  // namespace
}  // namespace gapbundle::bundle
