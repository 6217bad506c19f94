#include <gapbundle/manifest/manifest.hpp>

#include <gtest/gtest.h>

namespace gapbundle::manifest {
namespace {

constexpr const char* k_header = "apiVersion: gapbundle/v1\nname: demo\n";

Result<Manifest> parse(const std::string& section)
{
    return parse_manifest(std::string(k_header) + "huggingface:\n" + section, "m.yaml");
}

std::string error_of(const std::string& section)
{
    auto manifest = parse(section);
    if (manifest) return "(parsed)";
    EXPECT_EQ(manifest.error().code, ErrorCode::manifest) << manifest.error().message;
    return manifest.error().message;
}

TEST(HfManifest, ParsesEveryKey)
{
    auto m = parse("  endpoint: https://hf-mirror.example/\n"
                   "  repos:\n"
                   "    - repo: meta-llama/Llama-3.1-8B-Instruct\n"
                   "      type: model\n"
                   "      revision: refs/pr/1\n"
                   "      allow: [\"*.json\", \"*.safetensors\", \"tokenizer*\"]\n"
                   "      ignore: \"original/*\"\n"
                   "    - org/plain-name\n"
                   "    - { repo: org/data, type: dataset }\n");
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_TRUE(m->huggingface);
    const auto& hf = *m->huggingface;
    EXPECT_EQ(hf.endpoint, "https://hf-mirror.example");
    ASSERT_EQ(hf.repos.size(), 3u);
    EXPECT_EQ(hf.repos[0].repo, "meta-llama/Llama-3.1-8B-Instruct");
    EXPECT_EQ(hf.repos[0].revision, "refs/pr/1");
    EXPECT_EQ(hf.repos[0].allow, (std::vector<std::string>{"*.json", "*.safetensors", "tokenizer*"}));
    EXPECT_EQ(hf.repos[0].ignore, std::vector<std::string>{"original/*"});
    EXPECT_EQ(hf.repos[0].mark.line, 6);
    EXPECT_EQ(hf.repos[1].repo, "org/plain-name");
    EXPECT_EQ(hf.repos[1].type, "model");
    EXPECT_EQ(hf.repos[1].revision, "main");
    EXPECT_TRUE(hf.repos[1].allow.empty());
    EXPECT_EQ(hf.repos[2].type, "dataset");
}

TEST(HfManifest, DefaultEndpoint)
{
    auto m = parse("  repos: [org/name]\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->huggingface->endpoint, "https://huggingface.co");
}

TEST(HfManifest, ErrorsNameTheLine)
{
    EXPECT_EQ(error_of("  repos: []\n"), "m.yaml:4:10: huggingface: 'repos' must be a non-empty list");
    EXPECT_EQ(error_of("  repo: [x]\n"), "m.yaml:4:3: unknown key 'repo' in huggingface (did you mean 'repos'?)");
    EXPECT_EQ(error_of("  repos:\n    - { repo: a/b, type: space }\n"),
              "m.yaml:5:26: huggingface: repos[0]: 'type' is model or dataset, got 'space'");
    EXPECT_EQ(error_of("  repos:\n    - { type: model }\n"), "m.yaml:5:7: huggingface: repos[0]: missing 'repo'");
    EXPECT_EQ(error_of("  repos:\n    - { repo: a/b, allow: [] }\n"),
              "m.yaml:5:27: huggingface: repos[0]: 'allow' must be a pattern or a list of patterns, like [\"*.json\"]");
    EXPECT_EQ(error_of("  repos:\n    - { repo: a/b, revison: main }\n"),
              "m.yaml:5:20: unknown key 'revison' in huggingface: repos[0] (did you mean 'revision'?)");
    const auto secret = error_of("  endpoint: https://user:hf_secret@hub.example\n  repos: [a/b]\n");
    EXPECT_EQ(secret.find("hf_secret"), std::string::npos);
    EXPECT_NE(secret.find("carries credentials"), std::string::npos) << secret;
    EXPECT_EQ(error_of("  endpoint: ftp://hub.example\n  repos: [a/b]\n"),
              "m.yaml:4:13: huggingface: 'endpoint' must be an http:// or https:// URL, got 'ftp://hub.example'");
}

}  // namespace
}  // namespace gapbundle::manifest
