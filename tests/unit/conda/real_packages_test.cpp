// The conda core against real packages: a channel built with conda-package-handling's cph (both
// package formats, repodata.json and its .zst), read back by cph, parsed and solved by gapbundle.
#include <gapbundle/sources/conda/local_channel.hpp>
#include <gapbundle/sources/conda/repodata.hpp>
#include <gapbundle/sources/conda/solution_check.hpp>
#include <gapbundle/sources/conda/solver.hpp>

#include "conda_fixtures.hpp"
#include "support/conda_channel.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/crypto/sha256.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <stdlib.h>
#include <fstream>
#include <iterator>
#include <optional>
#include <tuple>

namespace gapbundle::sources::conda {
namespace {

namespace stdfs = std::filesystem;
using testing::CondaPackageDef;

CondaPackageDef package(std::string name, std::string version, std::string build, int build_number = 0,
                        std::string subdir = "linux-64")
{
    CondaPackageDef def;
    def.name = std::move(name);
    def.version = std::move(version);
    def.build = std::move(build);
    def.build_number = build_number;
    def.subdir = std::move(subdir);
    return def;
}

std::string read_file(const stdfs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class RealPackagesTest : public gapbundle::testing::TestDirFixture {
protected:
    // cph takes a second or two a package: the channel is built once for the suite.
    static void SetUpTestSuite()
    {
        std::string folder = (stdfs::temp_directory_path() / "gapbundle-conda-channel.XXXXXX").string();
        ASSERT_NE(::mkdtemp(folder.data()), nullptr);
        auto python = package("python", "3.11.9", "h_0");
        python.as_tar_bz2 = true;  // in both formats: the .conda must win
        auto numpy = package("numpy", "1.26.4", "py311_0");
        numpy.depends = {"python >=3.11,<3.12.0a0"};
        numpy.as_tar_bz2 = true;
        numpy.as_conda = false;  // .tar.bz2 only
        auto numpy_mkl = package("numpy", "1.26.4", "py311_mkl_0", 1);
        numpy_mkl.depends = numpy.depends;
        numpy_mkl.track_features = "mkl";
        auto tqdm = package("tqdm", "4.66.1", "pyhd8ed1ab_0", 0, "noarch");
        tqdm.depends = {"python >=3.7"};
        s_channel = gapbundle::testing::build_conda_channel(stdfs::path(folder) / "channel",
                                                            {python, numpy, numpy_mkl, tqdm});
    }
    static void TearDownTestSuite()
    {
        if (!s_channel) return;
        stdfs::remove_all(s_channel->root.parent_path());
        s_channel.reset();
    }

    static std::optional<gapbundle::testing::CondaChannel> s_channel;
    const gapbundle::testing::CondaChannel& channel = *s_channel;
};

std::optional<gapbundle::testing::CondaChannel> RealPackagesTest::s_channel;

TEST_F(RealPackagesTest, CphReadsEveryPackageBackWithItsMetadata)
{
    ASSERT_EQ(channel.files.size(), 5u);
    for (const auto& file : channel.files) {
        const auto package = channel.root / file.subdir / file.filename;
        const auto out = dir() / ("x-" + file.filename);
        const std::string command = "cph extract --dest '" + out.string() + "' '" + package.string() + "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        const auto index = nlohmann::json::parse(read_file(out / "info" / "index.json"));
        EXPECT_TRUE(file.filename.starts_with(index.at("name").get<std::string>() + "-")) << file.filename;
        EXPECT_EQ(crypto::sha256_hex(read_file(package)), file.sha256);
    }
}

TEST_F(RealPackagesTest, ParsesTheChannelsRepodataAndSolvesAgainstIt)
{
    const auto plain = read_file(channel.root / "linux-64" / "repodata.json");
    const std::string unzstd = "zstd -dcq '" + (channel.root / "linux-64" / "repodata.json.zst").string() + "' > '" +
                               (dir() / "unpacked.json").string() + "'";
    ASSERT_EQ(std::system(unzstd.c_str()), 0);
    EXPECT_EQ(read_file(dir() / "unpacked.json"), plain);

    auto linux64 = parse_repodata(plain, "local");
    ASSERT_TRUE(linux64) << linux64.error().message;
    EXPECT_TRUE(linux64->skipped.empty());
    std::vector<std::string> filenames;
    for (const auto& record : linux64->records) filenames.push_back(record.filename);
    EXPECT_EQ(filenames, (std::vector<std::string>{"numpy-1.26.4-py311_0.tar.bz2", "numpy-1.26.4-py311_mkl_0.conda",
                                                   "python-3.11.9-h_0.conda"}));
    for (const auto& record : linux64->records) {
        const auto bytes = read_file(channel.root / "linux-64" / record.filename);
        EXPECT_EQ(record.sha256, crypto::sha256_hex(bytes)) << record.filename;
        EXPECT_EQ(record.size, bytes.size()) << record.filename;
    }
    auto noarch = parse_repodata(read_file(channel.root / "noarch" / "repodata.json"), "local");
    ASSERT_TRUE(noarch) << noarch.error().message;
    ASSERT_EQ(noarch->records.size(), 1u);

    std::vector<RepodataRecord> candidates = linux64->records;
    candidates.insert(candidates.end(), noarch->records.begin(), noarch->records.end());
    SolveRequest request;
    request.specs = fixtures::specs({"numpy", "tqdm"});
    auto solution = solve(request, candidates);
    ASSERT_TRUE(solution) << solution.error().message;
    std::vector<std::string> chosen;
    for (const auto& record : solution->records) chosen.push_back(record.filename);
    // The mkl build has the higher build number but a track_feature: the plain build wins.
    EXPECT_EQ(chosen, (std::vector<std::string>{"numpy-1.26.4-py311_0.tar.bz2", "python-3.11.9-h_0.conda",
                                                "tqdm-4.66.1-pyhd8ed1ab_0.conda"}));
    auto checked = check_solution(request.specs, solution->records, solution->virtual_packages);
    EXPECT_TRUE(checked) << checked.error().message;
}

// The carried channel's repodata lists exactly the chosen packages, which parse back to the same
// records, whatever order they come in.
TEST_F(RealPackagesTest, TheCarriedChannelsRepodataListsExactlyWhatIsCarried)
{
    auto linux64 = parse_repodata(read_file(channel.root / "linux-64" / "repodata.json"), "local");
    ASSERT_TRUE(linux64) << linux64.error().message;
    std::vector<RepodataRecord> carried;
    for (const auto& record : linux64->records)
        if (record.filename != "numpy-1.26.4-py311_mkl_0.conda") carried.push_back(record);
    ASSERT_EQ(carried.size(), 2u);
    const auto text = local_repodata_json("linux-64", carried);
    std::vector<RepodataRecord> reversed(carried.rbegin(), carried.rend());
    EXPECT_EQ(local_repodata_json("linux-64", reversed), text);

    const auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc.at("info").at("subdir"), "linux-64");
    EXPECT_EQ(doc.at("packages").size(), 1u);
    EXPECT_EQ(doc.at("packages.conda").size(), 1u);
    EXPECT_EQ(doc.at("packages").at("numpy-1.26.4-py311_0.tar.bz2").at("depends"),
              nlohmann::json::array({"python >=3.11,<3.12.0a0"}));

    auto again = parse_repodata(text, "local");
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_EQ(again->records.size(), carried.size());
    for (std::size_t i = 0; i < carried.size(); ++i) {
        const auto& a = again->records[i];
        const auto& b = carried[i];
        EXPECT_EQ(std::tie(a.filename, a.name, a.build, a.build_number, a.depends, a.constrains, a.track_features,
                           a.timestamp, a.sha256, a.md5, a.size, a.subdir, a.noarch),
                  std::tie(b.filename, b.name, b.build, b.build_number, b.depends, b.constrains, b.track_features,
                           b.timestamp, b.sha256, b.md5, b.size, b.subdir, b.noarch));
        EXPECT_EQ(a.version, b.version);
    }

    // A track_feature and a noarch package survive the round trip too.
    auto noarch = parse_repodata(read_file(channel.root / "noarch" / "repodata.json"), "local");
    ASSERT_TRUE(noarch);
    std::vector<RepodataRecord> mixed = noarch->records;
    mixed.push_back(linux64->records[1]);  // numpy-1.26.4-py311_mkl_0.conda
    ASSERT_EQ(mixed.back().track_features, std::vector<std::string>{"mkl"});
    auto round = parse_repodata(local_repodata_json("noarch", mixed), "local");
    ASSERT_TRUE(round) << round.error().message;
    ASSERT_EQ(round->records.size(), 2u);
    EXPECT_EQ(round->records[0].track_features, std::vector<std::string>{"mkl"});
    EXPECT_EQ(round->records[1].noarch, "generic");

    const auto empty = nlohmann::json::parse(local_repodata_json("noarch", {}));
    EXPECT_TRUE(empty.at("packages").empty());
    EXPECT_TRUE(empty.at("packages.conda").empty());
}

}  // namespace
}  // namespace gapbundle::sources::conda
