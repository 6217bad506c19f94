#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/sources/helm/local_index.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::helm {
namespace {

TEST(LocalIndexTest, ListsEveryChartNewestFirstWithRelativeUrlsAndReadsBack)
{
    const std::string a(64, 'a');
    const std::string b(64, 'b');
    const std::string c(64, 'c');
    const std::string yaml = local_index_yaml({{"v2", "web", "1.10.0", "", "web-1.10.0.tgz", a},
                                               {"v2", "web", "1.9.0+build.1", "1.0", "web-1.9.0+build.1.tgz", b},
                                               {"", "common", "2.1.0", "true", "common-2.1.0.tgz", c}});
    auto index = parse_chart_index(yaml, "index.yaml");
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_TRUE(index->skipped.empty());
    ASSERT_EQ(index->entries.size(), 2u);
    const auto& web = index->entries.at("web");
    ASSERT_EQ(web.size(), 2u);
    EXPECT_EQ(web[0].version, "1.10.0");  // SemVer order, not text order
    EXPECT_EQ(web[0].urls, std::vector<std::string>{"web-1.10.0.tgz"});
    EXPECT_EQ(web[0].digest, a);
    EXPECT_EQ(web[1].version, "1.9.0+build.1");
    EXPECT_EQ(web[1].app_version, "1.0");
    const auto& common = index->entries.at("common").front();
    EXPECT_EQ(common.api_version, "v1");   // a chart without apiVersion is v1
    EXPECT_EQ(common.app_version, "true");  // quoted: stays a string
    EXPECT_EQ(yaml.find("generated"), std::string::npos);  // no clock: the same charts, the same bytes
    EXPECT_EQ(yaml, local_index_yaml({{"", "common", "2.1.0", "true", "common-2.1.0.tgz", c},
                                      {"v2", "web", "1.9.0+build.1", "1.0", "web-1.9.0+build.1.tgz", b},
                                      {"v2", "web", "1.10.0", "", "web-1.10.0.tgz", a}}));
}

}  // namespace
}  // namespace gapbundle::sources::helm
