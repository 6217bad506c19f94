#include <gapbundle/sources/conda/explicit_lock.hpp>

#include "conda_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace gapbundle::sources::conda {
namespace {

using fixtures::record;

std::vector<std::string> names(const std::vector<const RepodataRecord*>& order)
{
    std::vector<std::string> out;
    for (const auto* r : order) out.push_back(r->name);
    return out;
}

std::vector<RepodataRecord> environment()
{
    return {record("numpy", "1.26.4", "py311_0", {"python >=3.11,<3.12.0a0", "python_abi 3.11.* *_cp311", "libblas"}),
            record("python", "3.11.9", "h0", {"libzlib >=1.3", "__glibc >=2.17"}),
            record("python_abi", "3.11", "5_cp311", {"conda-forge::python 3.11.*"}),
            record("libblas", "3.9.0", "openblas_0", {}),
            record("libzlib", "1.3.1", "h0", {}),
            record("tqdm", "4.66.4", "pyhd8ed1ab_0", {"python>=3.7"})};
}

TEST(InstallOrderTest, DependenciesComeFirstTiesByName)
{
    const auto records = environment();
    EXPECT_EQ(names(install_order(records)),
              (std::vector<std::string>{"libblas", "libzlib", "python", "python_abi", "numpy", "tqdm"}));
}

TEST(InstallOrderTest, TheSameSetInAnyOrderGivesTheSameOrder)
{
    auto records = environment();
    const auto expected = names(install_order(records));
    std::mt19937 random(7);
    for (int i = 0; i < 20; ++i) {
        std::ranges::shuffle(records, random);
        EXPECT_EQ(names(install_order(records)), expected);
    }
}

TEST(InstallOrderTest, ACycleIsBrokenAndEveryRecordListedOnce)
{
    const std::vector<RepodataRecord> records{record("a", "1", "0", {"b"}), record("b", "1", "0", {"c"}),
                                              record("c", "1", "0", {"a"})};
    EXPECT_EQ(names(install_order(records)), (std::vector<std::string>{"c", "b", "a"}));
}

TEST(ExplicitLockTest, ListsEveryFileWithItsSha256AfterTheMarker)
{
    auto records = environment();
    for (auto& r : records) r.sha256 = std::string(64, r.name.front());
    const auto text = explicit_lock(records, "# made by a test\n", [](const RepodataRecord& r) {
        return "conda/forge/" + r.subdir + "/" + r.filename;
    });
    EXPECT_EQ(text, "# made by a test\n"
                    "@EXPLICIT\n"
                    "conda/forge/linux-64/libblas-3.9.0-openblas_0.conda#sha256:" + std::string(64, 'l') + "\n"
                    "conda/forge/linux-64/libzlib-1.3.1-h0.conda#sha256:" + std::string(64, 'l') + "\n"
                    "conda/forge/linux-64/python-3.11.9-h0.conda#sha256:" + std::string(64, 'p') + "\n"
                    "conda/forge/linux-64/python_abi-3.11-5_cp311.conda#sha256:" + std::string(64, 'p') + "\n"
                    "conda/forge/linux-64/numpy-1.26.4-py311_0.conda#sha256:" + std::string(64, 'n') + "\n"
                    "conda/forge/linux-64/tqdm-4.66.4-pyhd8ed1ab_0.conda#sha256:" + std::string(64, 't') + "\n");
}

}  // namespace
}  // namespace gapbundle::sources::conda
