#include <gapbundle/sources/helm/chart_index.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::helm {
namespace {

const std::string k_digest(64, 'a');

const std::string k_index = "apiVersion: v1\n"
                            "generated: \"2024-01-10T12:00:00Z\"\n"
                            "entries:\n"
                            "  redis:\n"
                            "    - name: redis\n"
                            "      version: 18.1.0\n"
                            "      appVersion: \"7.2.1\"\n"
                            "      apiVersion: v2\n"
                            "      digest: " + k_digest + "\n"
                            "      urls: [charts/redis-18.1.0.tgz]\n"
                            "    - name: redis\n"
                            "      version: 18.6.4\n"
                            "      digest: sha256:" + std::string(64, 'B') + "\n"
                            "      urls: [\"https://cdn.example/redis-18.6.4.tgz\"]\n"
                            "    - name: redis\n"
                            "      version: 19.0.0-rc.1\n"
                            "      urls: [redis-19.0.0-rc.1.tgz]\n"
                            "    - name: redis\n"
                            "      version: not-a-version\n"
                            "      urls: [x.tgz]\n"
                            "  postgresql:\n"
                            "    - version: 15.5.20\n"
                            "      urls: [postgresql-15.5.20.tgz]\n"
                            "    - name: postgresql\n"
                            "      version: 15.5.21\n";

std::vector<std::string> versions(const ChartIndex& index, const std::string& name)
{
    std::vector<std::string> out;
    for (const auto& chart : index.entries.at(name)) out.push_back(chart.version);
    return out;
}

TEST(ChartIndexTest, ReadsEntriesNewestFirstAndSkipsInvalidOnes)
{
    auto index = parse_chart_index(k_index, "https://charts.example/index.yaml");
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(versions(*index, "redis"), (std::vector<std::string>{"19.0.0-rc.1", "18.6.4", "18.1.0"}));
    EXPECT_EQ(versions(*index, "postgresql"), std::vector<std::string>{"15.5.20"});
    const auto& oldest = index->entries.at("redis").back();
    EXPECT_EQ(oldest.app_version, "7.2.1");
    EXPECT_EQ(oldest.api_version, "v2");
    EXPECT_EQ(oldest.digest, k_digest);
    EXPECT_EQ(oldest.urls, std::vector<std::string>{"charts/redis-18.1.0.tgz"});
    EXPECT_EQ(oldest.line, 5);
    EXPECT_EQ(index->entries.at("redis")[1].digest, std::string(64, 'b'));  // "sha256:" and case dropped
    EXPECT_EQ(index->entries.at("postgresql")[0].api_version, "v1");
    EXPECT_EQ(index->skipped, (std::vector<std::string>{
                                  "redis[3] (line 18): version 'not-a-version' is not a semantic version",
                                  "postgresql[1] (line 24): no urls"}));
}

TEST(ChartIndexTest, ErrorsNameTheFileAndLine)
{
    const auto error = [](const std::string& yaml) {
        auto index = parse_chart_index(yaml, "repo/index.yaml");
        EXPECT_FALSE(index);
        if (index) return std::string("(parsed)");
        EXPECT_EQ(index.error().code, ErrorCode::download);
        return index.error().message;
    };
    EXPECT_EQ(error("entries: {}\n"), "repo/index.yaml:1:1: no API version specified (helm refuses such an index)");
    EXPECT_EQ(error("- a\n"), "repo/index.yaml:1:1: an index.yaml is a mapping with 'apiVersion' and 'entries'");
    EXPECT_EQ(error("apiVersion: v1\nentries: [a]\n"),
              "repo/index.yaml:2:10: 'entries' must be a mapping of chart names to lists");
    EXPECT_EQ(error("apiVersion: v1\nentries:\n  redis: 3\n"),
              "repo/index.yaml:3:10: entries.redis must be a list of chart versions");
    const auto syntax = error("apiVersion: v1\nentries:\n  redis:\n    - name: [unclosed\n");
    EXPECT_TRUE(syntax.starts_with("repo/index.yaml:")) << syntax;
}

TEST(ChartIndexTest, SelectsAsHelmPullDoes)
{
    auto index = parse_chart_index(k_index, "index.yaml");
    ASSERT_TRUE(index) << index.error().message;
    const auto pick = [&](const std::string& constraint, bool devel = false) -> std::string {
        auto chart = select_chart(*index, "redis", constraint, devel);
        return chart ? (*chart)->version : chart.error().message;
    };
    EXPECT_EQ(pick(""), "18.6.4");  // the newest release, not the pre-release
    EXPECT_EQ(pick("", true), "19.0.0-rc.1");
    EXPECT_EQ(pick("^18.1"), "18.6.4");
    EXPECT_EQ(pick("18.1.0"), "18.1.0");
    EXPECT_EQ(pick("19.0.0-rc.1"), "19.0.0-rc.1");  // the exact text wins
    EXPECT_EQ(pick("~18.1"), "18.1.0");
    EXPECT_EQ(pick("^20"), "chart 'redis' has no version fitting '^20' (versions: 19.0.0-rc.1, 18.6.4, 18.1.0)");
    auto missing = select_chart(*index, "mysql", "", false);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "the repository has no chart 'mysql'");
    auto bad = select_chart(*index, "redis", ">= 1 <", false);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::manifest);
}

TEST(ChartIndexTest, ResolvesChartUrlsAsHelm)
{
    EXPECT_EQ(resolve_chart_url("https://charts.example/bitnami", "redis-18.6.4.tgz"),
              "https://charts.example/bitnami/redis-18.6.4.tgz");
    EXPECT_EQ(resolve_chart_url("https://charts.example/bitnami/", "charts/redis.tgz"),
              "https://charts.example/bitnami/charts/redis.tgz");
    EXPECT_EQ(resolve_chart_url("https://charts.example/bitnami", "https://cdn.example/redis.tgz"),
              "https://cdn.example/redis.tgz");
    EXPECT_EQ(resolve_chart_url("https://charts.example/bitnami", "/other/redis.tgz"),
              "https://charts.example/other/redis.tgz");
    EXPECT_EQ(resolve_chart_url("https://charts.example/a/b", "../c/redis.tgz"), "https://charts.example/a/c/redis.tgz");
    EXPECT_EQ(resolve_chart_url("https://charts.example/repo?token=abc", "redis.tgz"),
              "https://charts.example/repo/redis.tgz?token=abc");
    EXPECT_EQ(resolve_chart_url("http://127.0.0.1:8080", "./redis.tgz"), "http://127.0.0.1:8080/redis.tgz");
}

}  // namespace
}  // namespace gapbundle::sources::helm
