#include <gapbundle/sources/helm/chart.hpp>
#include <gapbundle/sources/helm/chart_images.hpp>

#include "support/helm_chart.hpp"
#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::helm {
namespace {

using gapbundle::testing::build_chart;
using gapbundle::testing::ChartDef;

std::vector<std::string> refs(const ImageSearch& search)
{
    std::vector<std::string> out;
    for (const auto& image : search.images) out.push_back(image.ref);
    return out;
}

class ChartTest : public gapbundle::testing::TestDirFixture {};

TEST_F(ChartTest, ReadsMetadataValuesAndVendoredSubcharts)
{
    const auto common = build_chart(dir() / "sub", {.name = "common", .version = "2.14.1", .app_version = "",
                                                    .chart_yaml_extra = "", .values_yaml = "exampleValue: common\n",
                                                    .files = {}, .vendored = {}});
    ChartDef redis{.name = "redis", .version = "18.6.4", .app_version = "7.2.4",
                   .chart_yaml_extra = "dependencies:\n"
                                       "  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
                                       "  - name: metrics\n    version: ^1.0\n    repository: https://charts.example/stable\n"
                                       "    condition: metrics.enabled\n"
                                       "annotations:\n  category: Database\n",
                   .values_yaml = "image:\n  repository: bitnami/redis\n  tag: 7.2.4-debian-12-r9\n",
                   .files = {{"charts/folded/Chart.yaml", "apiVersion: v2\nname: folded\nversion: 0.1.0\n"},
                             {"charts/folded/values.yaml", "image: busybox:1.36\n"}},
                   .vendored = {{"common-2.14.1", common}}};
    auto chart = read_chart_file(build_chart(dir(), redis));
    ASSERT_TRUE(chart) << chart.error().message;
    EXPECT_EQ(chart->metadata.name, "redis");
    EXPECT_EQ(chart->metadata.version, "18.6.4");
    EXPECT_EQ(chart->metadata.app_version, "7.2.4");
    EXPECT_EQ(chart->metadata.api_version, "v2");
    ASSERT_EQ(chart->metadata.dependencies.size(), 2u);
    EXPECT_EQ(chart->metadata.dependencies[0].repository, "oci://registry-1.docker.io/bitnamicharts");
    EXPECT_EQ(chart->metadata.dependencies[1].condition, "metrics.enabled");
    EXPECT_EQ(chart->metadata.annotations.at("category"), "Database");
    EXPECT_NE(chart->values_yaml.find("bitnami/redis"), std::string::npos);
    ASSERT_EQ(chart->subcharts.size(), 2u);
    EXPECT_EQ(chart->subcharts[0].metadata.name, "common");
    EXPECT_EQ(chart->subcharts[0].values_yaml, "exampleValue: common\n");
    EXPECT_EQ(chart->subcharts[1].metadata.name, "folded");
}

TEST_F(ChartTest, ApiVersionOneKeepsDependenciesInRequirementsYaml)
{
    ChartDef old{.name = "old", .version = "1.0.0", .app_version = "", .chart_yaml_extra = "", .values_yaml = "",
                 .files = {{"requirements.yaml", "dependencies:\n  - name: mariadb\n    version: 7.x.x\n"
                                                 "    repository: https://charts.example/stable\n"}},
                 .vendored = {}};
    const auto tgz = build_chart(dir(), old);
    auto chart = read_chart_file(tgz);
    ASSERT_TRUE(chart) << chart.error().message;
    ASSERT_EQ(chart->metadata.dependencies.size(), 1u);
    EXPECT_EQ(chart->metadata.dependencies[0].name, "mariadb");
}

TEST_F(ChartTest, BadChartsAreNamed)
{
    auto not_tgz = read_chart_archive("not a tarball", "x.tgz");
    ASSERT_FALSE(not_tgz);
    EXPECT_TRUE(not_tgz.error().message.starts_with("x.tgz: ")) << not_tgz.error().message;
    auto missing = parse_chart_yaml("apiVersion: v2\nname: a\n", "a-1.tgz");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "a-1.tgz: Chart.yaml:1:1: missing 'version'");
    auto api = parse_chart_yaml("apiVersion: v3\nname: a\nversion: 1.0.0\n", "a-1.tgz");
    ASSERT_FALSE(api);
    EXPECT_EQ(api.error().message, "a-1.tgz: Chart.yaml:1:13: apiVersion 'v3' is not v1 or v2");
}

TEST_F(ChartTest, FindsImagesInAnnotationsAndValues)
{
    const auto common = build_chart(dir() / "sub", {.name = "metrics", .version = "1.0.0", .app_version = "0.15.1",
                                                    .chart_yaml_extra = "",
                                                    .values_yaml = "exporter:\n  image:\n    repository: prom/redis-exporter\n",
                                                    .files = {}, .vendored = {}});
    ChartDef chart{
        .name = "app", .version = "1.2.3", .app_version = "2.0.0",
        .chart_yaml_extra = "annotations:\n"
                            "  artifacthub.io/images: |\n"
                            "    - name: app\n      image: ghcr.io/example/app:2.0.0\n"
                            "    - name: sidecar\n      image: docker.io/library/nginx:1.25\n",
        .values_yaml = "global:\n  imageRegistry: \"\"\n"
                       "image:\n  registry: docker.io\n  repository: example/app\n  tag: \"\"\n"  // tag: appVersion
                       "worker:\n  image:\n    registry: quay.io\n    repository: example/worker\n"
                       "    digest: sha256:" + std::string(64, 'a') + "\n"
                       "initImage: busybox:1.36\n"
                       "pullPolicy: IfNotPresent\n"
                       "proxy:\n  image: envoyproxy/envoy\n"  // no tag: not taken
                       "sidecars:\n  - name: log\n    image: fluent/fluent-bit:3.0\n"
                       "git:\n  repository: https://github.com/example/app.git\n",
        .files = {}, .vendored = {{"metrics-1.0.0", common}}};
    auto read = read_chart_file(build_chart(dir(), chart));
    ASSERT_TRUE(read) << read.error().message;
    const auto found = find_chart_images(*read);
    EXPECT_EQ(refs(found), (std::vector<std::string>{"ghcr.io/example/app:2.0.0", "docker.io/library/nginx:1.25",
                                                      "docker.io/example/app:2.0.0",
                                                      "quay.io/example/worker@sha256:" + std::string(64, 'a'),
                                                      "docker.io/library/busybox:1.36",
                                                      "docker.io/fluent/fluent-bit:3.0",
                                                      "docker.io/prom/redis-exporter:0.15.1"}));
    EXPECT_EQ(found.images[0].where, "app: annotation artifacthub.io/images");
    EXPECT_EQ(found.images.back().where, "app/metrics: values.yaml line 3");
    ASSERT_EQ(found.notes.size(), 1u);
    EXPECT_NE(found.notes[0].find("https://github.com/example/app.git"), std::string::npos) << found.notes[0];
}

TEST_F(ChartTest, GlobalImageRegistryReplacesTheRegistry)
{
    ChartDef chart{.name = "mirrored", .version = "1.0.0", .app_version = "",
                   .chart_yaml_extra = "",
                   .values_yaml = "global:\n  imageRegistry: mirror.local:5000\n"
                                  "image:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: \"7.2\"\n"
                                  "extraImage: quay.io/x/y:1\n",
                   .files = {}, .vendored = {}};
    auto read = read_chart_file(build_chart(dir(), chart));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(refs(find_chart_images(*read)),
              (std::vector<std::string>{"mirror.local:5000/bitnami/redis:7.2", "mirror.local:5000/x/y:1"}));
}

}  // namespace
}  // namespace gapbundle::sources::helm
