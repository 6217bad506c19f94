#include "headless_chromium.hpp"

#include "support/run_binary.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <vector>

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

constexpr const char* k_chromium = "/usr/bin/chromium";

void keep_artifact(const stdfs::path& file)
{
    const char* folder = std::getenv("GAPBUNDLE_TEST_ARTIFACTS");
    if (!folder || !stdfs::exists(file)) return;
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    stdfs::create_directories(folder);
    stdfs::copy_file(file, stdfs::path(folder) / (std::string(test->name()) + ".png"),
                     stdfs::copy_options::overwrite_existing);
}

}  // namespace

std::string render_in_chromium(const stdfs::path& page, const stdfs::path& scratch)
{
    EXPECT_TRUE(stdfs::exists(k_chromium)) << "scripts/setup.sh installs Debian's chromium";
    const std::vector<std::string> common{"--headless",
                                          "--no-sandbox",
                                          "--disable-gpu",
                                          "--disable-quic",
                                          "--no-first-run",
                                          "--disable-background-networking",
                                          "--disable-component-update",
                                          "--disable-sync",
                                          "--user-data-dir=" + (scratch / "chromium-profile").string()};
    auto args = common;
    args.insert(args.end(), {"--window-size=1200,1600", "--screenshot=" + page.string() + ".png", "file://" + page.string()});
    auto shot = run_program(k_chromium, args, scratch);
    EXPECT_TRUE(stdfs::exists(page.string() + ".png")) << shot.err;
    keep_artifact(page.string() + ".png");
    args = common;
    args.insert(args.end(), {"--dump-dom", "file://" + page.string()});
    auto dom = run_program(k_chromium, args, scratch);
    EXPECT_EQ(dom.status, 0) << dom.err;
    return dom.out;
}

std::set<std::pair<std::string, std::string>> component_rows(const std::string& dom)
{
    std::set<std::pair<std::string, std::string>> out;
    const std::regex row(R"re(<tr class="component" data-kind="([^"]+)" data-name="([^"]+)")re");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row); it != std::sregex_iterator(); ++it)
        out.emplace((*it)[1], (*it)[2]);
    return out;
}

}  // namespace gapbundle::testing
