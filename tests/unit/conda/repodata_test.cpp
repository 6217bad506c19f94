#include <gapbundle/sources/conda/repodata.hpp>

#include <gtest/gtest.h>

#include <limits>

#include <string>

namespace gapbundle::sources::conda {
namespace {

const std::string k_repodata = R"({
  "info": {"subdir": "linux-64"},
  "packages": {
    "numpy-1.26.4-py311h64a7726_0.tar.bz2": {"name": "numpy", "version": "1.26.4", "build": "py311h64a7726_0",
      "build_number": 0, "depends": [], "md5": "OLD", "timestamp": 1707225815},
    "numpy-1.25.0-py311h_1.tar.bz2": {"name": "numpy", "version": "1.25.0", "build": "py311h_1",
      "build_number": 1, "depends": ["python >=3.11,<3.12.0a0"], "timestamp": 1690000000,
      "track_features": "numpy_legacy blas_mkl"},
    "bad-1..0-0.tar.bz2": {"name": "bad", "version": "1..0", "build": "0"},
    "gone-1.0-0.tar.bz2": {"name": "gone", "version": "1.0", "build": "0"}
  },
  "packages.conda": {
    "numpy-1.26.4-py311h64a7726_0.conda": {
      "name": "numpy", "version": "1.26.4", "build": "py311h64a7726_0", "build_number": 0,
      "depends": ["libblas >=3.9.0,<4.0a0", "python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311"],
      "constrains": ["numpy-base <0a0"], "license": "BSD-3-Clause", "subdir": "linux-64",
      "timestamp": 1707225815519, "md5": "ABCDEF", "sha256": "00ff", "size": 8065890},
    "tzdata-2024a-h0c530f3_0.conda": {"name": "tzdata", "version": "2024a", "build": "h0c530f3_0",
      "noarch": "generic", "track_features": ["x", "y"]}
  },
  "removed": ["gone-1.0-0.tar.bz2"]
})";

TEST(RepodataTest, ReadsBothSectionsPreferringConda)
{
    auto repodata = parse_repodata(k_repodata, "conda-forge");
    ASSERT_TRUE(repodata) << repodata.error().message;
    EXPECT_EQ(repodata->subdir, "linux-64");
    ASSERT_EQ(repodata->records.size(), 3U);
    const auto& old_numpy = repodata->records[0];
    const auto& numpy = repodata->records[1];
    const auto& tzdata = repodata->records[2];
    EXPECT_EQ(old_numpy.filename, "numpy-1.25.0-py311h_1.tar.bz2");
    EXPECT_EQ(old_numpy.timestamp, 1690000000000U);  // seconds became ms
    EXPECT_EQ(old_numpy.track_features, (std::vector<std::string>{"numpy_legacy", "blas_mkl"}));
    EXPECT_EQ(old_numpy.build_number, 1U);
    EXPECT_EQ(old_numpy.subdir, "linux-64");  // from info
    EXPECT_EQ(numpy.filename, "numpy-1.26.4-py311h64a7726_0.conda");
    EXPECT_EQ(numpy.md5, "abcdef");
    EXPECT_EQ(numpy.sha256, "00ff");
    EXPECT_EQ(numpy.size, 8065890U);
    EXPECT_EQ(numpy.timestamp, 1707225815519U);
    EXPECT_EQ(numpy.version.text(), "1.26.4");
    EXPECT_EQ(numpy.channel, "conda-forge");
    EXPECT_EQ(numpy.depends.size(), 3U);
    EXPECT_EQ(numpy.constrains, (std::vector<std::string>{"numpy-base <0a0"}));
    EXPECT_EQ(tzdata.noarch, "generic");
    EXPECT_EQ(tzdata.track_features, (std::vector<std::string>{"x", "y"}));
    ASSERT_EQ(repodata->skipped.size(), 1U);
    EXPECT_EQ(repodata->skipped[0], "bad-1..0-0.tar.bz2: invalid version '1..0': empty version component");
}

TEST(RepodataTest, AcceptsAnEmptyDocument)
{
    auto repodata = parse_repodata("{}", "local");
    ASSERT_TRUE(repodata);
    EXPECT_TRUE(repodata->records.empty());
}

TEST(RepodataTest, RejectsWhatIsNotRepodata)
{
    auto garbage = parse_repodata("<html>", "conda-forge");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, ErrorCode::download);
    EXPECT_EQ(garbage.error().message, "repodata for conda-forge: not a JSON object");
    auto wrong = parse_repodata(R"({"info": {"subdir": "noarch"}, "packages": []})", "conda-forge");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().message, "repodata for conda-forge/noarch: 'packages' is not an object");
}

TEST(RepodataTest, NamesWhereADocumentBreaksOff)
{
    auto cut = parse_repodata(R"({"info": {"subdir": "linux-64"}, "packages": {"a-1-0.tar.bz2": {"name": )", "c");
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().message.rfind("repodata for c/linux-64: invalid JSON at byte ", 0), 0U)
        << cut.error().message;
    auto removed = parse_repodata(R"({"removed": "a-1-0.tar.bz2"})", "c");
    ASSERT_FALSE(removed);
    EXPECT_EQ(removed.error().message, "repodata for c: 'removed' is not a list");
    auto top = parse_repodata("[1, 2]", "c");
    ASSERT_FALSE(top);
    EXPECT_EQ(top.error().message, "repodata for c: not a JSON object");
}

TEST(RepodataTest, SkipsEntriesOfTheWrongShape)
{
    auto repodata = parse_repodata(R"({"packages": {
        "a-1-0.tar.bz2": 5,
        "b-1-0.tar.bz2": {"name": "b", "version": "1", "build": "0", "depends": ["x", 1]},
        "c-1-0.tar.bz2": {"name": "c", "version": "1"},
        "d-1-0.tar.bz2": {"name": "d", "version": "1", "build": "0", "about": {"depends": 3}, "depends": null},
        "e-1-0.tar.bz2": {"version": "1", "build": "0"}}})",
                                   "c");
    ASSERT_TRUE(repodata) << repodata.error().message;
    ASSERT_EQ(repodata->records.size(), 1U);
    EXPECT_EQ(repodata->records[0].name, "d");
    EXPECT_EQ(repodata->skipped,
              (std::vector<std::string>{"a-1-0.tar.bz2: not an object", "b-1-0.tar.bz2: 'depends' holds a non-string",
                                        "c-1-0.tar.bz2: no build", "e-1-0.tar.bz2: no name"}));
}

// The key becomes a file of the carried channel (found by fuzz/conda_parser_fuzzer: a-2.0-0.condk).
TEST(RepodataTest, SkipsKeysThatAreNotPackageFileNames)
{
    const std::string fields = R"({"name": "a", "version": "1", "build": "0"})";
    auto repodata = parse_repodata(R"({"packages": {"a-1-0.conda": )" + fields + R"(, "a-1-0.tar.bz2": )" + fields +
                                       R"(, "../a-1-0.tar.bz2": )" + fields + R"(, ".tar.bz2": )" + fields +
                                       R"(}, "packages.conda": {"a-1-0.condk": )" + fields + R"(, "x/a-1-0.conda": )" +
                                       fields + R"(, ".a-1-0.conda": )" + fields + "}}",
                                   "c");
    ASSERT_TRUE(repodata) << repodata.error().message;
    ASSERT_EQ(repodata->records.size(), 1U);
    EXPECT_EQ(repodata->records[0].filename, "a-1-0.tar.bz2");
    EXPECT_EQ(repodata->skipped,
              (std::vector<std::string>{"../a-1-0.tar.bz2: not a plain file name", ".a-1-0.conda: not a plain file name",
                                        ".tar.bz2: not a .tar.bz2 file name",
                                        "a-1-0.conda: not a .tar.bz2 file name", "a-1-0.condk: not a .conda file name",
                                        "x/a-1-0.conda: not a plain file name"}));
}

// Found by fuzz/conda_parser_fuzzer: a float past 2^64 was converted with undefined behaviour.
TEST(RepodataTest, ClampsFloatsWhereIntegersBelong)
{
    auto repodata = parse_repodata(R"({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0",
        "size": 8.8e123, "build_number": 2.0, "timestamp": -5.5}}})",
                                   "c");
    ASSERT_TRUE(repodata) << repodata.error().message;
    ASSERT_EQ(repodata->records.size(), 1U);
    EXPECT_EQ(repodata->records[0].size, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(repodata->records[0].build_number, 2U);
    EXPECT_EQ(repodata->records[0].timestamp, 0U);
}

TEST(RepodataTest, PrefersCondaWhicheverSectionComesFirst)
{
    auto repodata = parse_repodata(R"({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"}},
        "packages.conda": {"a-1-0.conda": {"name": "a", "version": "1", "build": "0"}}})",
                                   "c");
    ASSERT_TRUE(repodata);
    ASSERT_EQ(repodata->records.size(), 1U);
    EXPECT_EQ(repodata->records[0].filename, "a-1-0.conda");
}

TEST(RepodataTest, SkipsARecordWithABadDependsList)
{
    auto repodata = parse_repodata(R"({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0",
        "depends": "python"}}})",
                                   "c");
    ASSERT_TRUE(repodata);
    EXPECT_TRUE(repodata->records.empty());
    EXPECT_EQ(repodata->skipped, (std::vector<std::string>{"a-1-0.tar.bz2: 'depends' is not a list"}));
}

}  // namespace
}  // namespace gapbundle::sources::conda
