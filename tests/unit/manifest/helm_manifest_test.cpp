#include "section_fixture.hpp"

#include <gtest/gtest.h>

namespace gapbundle::manifest {
namespace {

class HelmManifestTest : public ManifestSectionTest {
};

TEST_F(HelmManifestTest, ParsesClassicAndOciCharts)
{
    auto m = parse("helm:\n"
                   "  - repo: https://charts.example/stable/\n"
                   "    chart: redis\n"
                   "    version: \"^18.1\"\n"
                   "  - oci: oci://registry.example/charts/postgresql\n"
                   "    version: 15.5.20\n"
                   "    images: none\n"
                   "  - repo: http://127.0.0.1:8080\n"
                   "    chart: web\n"
                   "    devel: true\n"
                   "    images: [\"docker.io/library/nginx:1.27\", \"quay.io/x/y@sha256:" +
                   std::string(64, 'a') + "\"]\n");
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->helm.size(), 3u);
    const auto& redis = m->helm[0];
    EXPECT_EQ(redis.repo, "https://charts.example/stable");
    EXPECT_EQ(redis.chart, "redis");
    EXPECT_TRUE(redis.oci.empty());
    EXPECT_EQ(redis.version, "^18.1");
    EXPECT_FALSE(redis.devel);
    EXPECT_EQ(redis.images, HelmChartSpec::Images::automatic);
    EXPECT_EQ(redis.mark.line, 4);
    const auto& postgres = m->helm[1];
    EXPECT_EQ(postgres.oci, "oci://registry.example/charts/postgresql");
    EXPECT_EQ(postgres.chart, "postgresql");
    EXPECT_TRUE(postgres.repo.empty());
    EXPECT_EQ(postgres.version, "15.5.20");
    EXPECT_EQ(postgres.images, HelmChartSpec::Images::none);
    const auto& web = m->helm[2];
    EXPECT_TRUE(web.devel);
    EXPECT_TRUE(web.version.empty());
    ASSERT_EQ(web.images, HelmChartSpec::Images::listed);
    ASSERT_EQ(web.listed_images.size(), 2u);
    EXPECT_EQ(web.listed_images[0].text, "docker.io/library/nginx:1.27");
    EXPECT_EQ(web.listed_images[1].mark.line, 13);
}

TEST_F(HelmManifestTest, RejectsBadEntriesNamingTheLine)
{
    EXPECT_EQ(error_of("helm: redis\n"), "m.yaml:3:7: 'helm' must be a list of charts");
    EXPECT_EQ(error_of("helm:\n  - redis\n"), "m.yaml:4:5: helm[0] must be a mapping with 'repo' and 'chart', or 'oci'");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example\n"),
              "m.yaml:4:5: helm[0]: give 'repo' and 'chart' (a classic repository) or 'oci'");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example\n    chart: a\n    oci: oci://r.example/c/a\n"),
              "m.yaml:4:5: helm[0]: give 'repo' and 'chart', or 'oci', not both");
    EXPECT_EQ(error_of("helm:\n  - oci: oci://r.example/c/a\n    chart: a\n"),
              "m.yaml:5:12: helm[0]: an 'oci' reference names the chart itself");
    EXPECT_EQ(error_of("helm:\n  - oci: https://r.example/c/a\n"),
              "m.yaml:4:10: helm[0]: 'oci' must be oci://REGISTRY/PATH/CHART, got 'https://r.example/c/a'");
    EXPECT_EQ(error_of("helm:\n  - oci: oci://r.example/c/a:1.0\n"),
              "m.yaml:4:10: helm[0]: 'oci' must be oci://REGISTRY/PATH/CHART without a tag (give 'version'), got "
              "'oci://r.example/c/a:1.0'");
    EXPECT_EQ(error_of("helm:\n  - oci: oci://r.example\n"),
              "m.yaml:4:10: helm[0]: 'oci' must be oci://REGISTRY/PATH/CHART without a tag (give 'version'), got "
              "'oci://r.example'");
    EXPECT_EQ(error_of("helm:\n  - repo: ftp://c.example\n    chart: a\n"),
              "m.yaml:4:11: helm[0]: 'repo' must be an http:// or https:// URL, got 'ftp://c.example'");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example/x\n    chart: a/b\n"),
              "m.yaml:5:12: helm[0]: 'chart' is a name in the repository, got 'a/b'");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example\n    chart: a\n    devel: maybe\n"),
              "m.yaml:6:12: helm[0]: 'devel' must be true or false");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example\n    chart: a\n    images: some\n"),
              "m.yaml:6:13: helm[0]: 'images' is auto, none or a list of image references");
    EXPECT_EQ(error_of("helm:\n  - repo: https://c.example\n    chart: a\n    verison: 1\n"),
              "m.yaml:6:5: unknown key 'verison' in helm[0] (did you mean 'version'?)");
}

TEST_F(HelmManifestTest, RefusesCredentialsInUrls)
{
    const auto repo = error_of("helm:\n  - repo: https://user:secret@c.example\n    chart: a\n");
    EXPECT_NE(repo.find("'repo' carries credentials"), std::string::npos) << repo;
    EXPECT_EQ(repo.find("secret@"), std::string::npos) << repo;
    const auto oci = error_of("helm:\n  - oci: oci://user:secret@r.example/c/a\n");
    EXPECT_NE(oci.find("'oci' carries credentials"), std::string::npos) << oci;
    EXPECT_EQ(oci.find("secret@"), std::string::npos) << oci;
}

}  // namespace
}  // namespace gapbundle::manifest
