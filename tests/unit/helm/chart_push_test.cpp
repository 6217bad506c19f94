#include <gapbundle/sources/helm/chart_push.hpp>

#include <gtest/gtest.h>

namespace gapbundle::sources::helm {
namespace {

TEST(ChartPushTest, ConfigIsChartYamlAsJsonInHelmsFieldOrder)
{
    auto config = chart_config_json("version: 1.2.0\n"
                                    "name: web\n"
                                    "apiVersion: v2\n"
                                    "appVersion: \"7.2\"\n"
                                    "deprecated: false\n"
                                    "unknownKey: dropped\n"
                                    "keywords: [a, b]\n"
                                    "dependencies:\n"
                                    "  - name: common\n"
                                    "    version: ^2.0.0\n"
                                    "    enabled: true\n"
                                    "annotations:\n"
                                    "  artifacthub.io/license: MIT\n",
                                    "web-1.2.0.tgz");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(*config, R"({"name":"web","version":"1.2.0","keywords":["a","b"],"apiVersion":"v2","appVersion":"7.2",)"
                       R"("deprecated":false,"annotations":{"artifacthub.io/license":"MIT"},)"
                       R"("dependencies":[{"name":"common","version":"^2.0.0","enabled":true}]})");
}

TEST(ChartPushTest, ConfigOfSomethingElseIsRefusedNamingTheChart)
{
    auto bad = chart_config_json("- a list\n", "web-1.2.0.tgz");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::verification);
    EXPECT_EQ(bad.error().message, "web-1.2.0.tgz: Chart.yaml is not a mapping");
    auto broken = chart_config_json("name: [\n", "web-1.2.0.tgz");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("web-1.2.0.tgz: Chart.yaml: "), std::string::npos) << broken.error().message;
}

}  // namespace
}  // namespace gapbundle::sources::helm
