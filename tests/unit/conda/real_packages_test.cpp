// The conda core against real packages: a channel built with conda-package-handling's cph (both
// package formats, repodata.json and its .zst), read back by cph, parsed and solved by gapbundle.
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

}  // namespace
}  // namespace gapbundle::sources::conda
