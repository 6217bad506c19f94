#include <gapbundle/manifest/manifest.hpp>

#include <gtest/gtest.h>

namespace gapbundle::manifest {
namespace {

constexpr const char* k_header = "apiVersion: gapbundle/v1\nname: demo\n";
constexpr const char* k_target = "  target:\n    python: \"3.11\"\n    platforms: [manylinux_2_28_x86_64]\n";

Result<Manifest> parse(const std::string& pip)
{
    return parse_manifest(std::string(k_header) + "pip:\n" + pip, "m.yaml");
}

std::string error_of(const std::string& pip)
{
    auto manifest = parse(pip);
    if (manifest) return "(parsed)";
    EXPECT_EQ(manifest.error().code, ErrorCode::manifest) << manifest.error().message;
    return manifest.error().message;
}

TEST(PipManifest, ParsesEveryKey)
{
    auto m = parse("  index: https://pypi.example/simple/\n"
                   "  extra_indexes: [https://extra.example/simple]\n"
                   "  target:\n"
                   "    python: \"3.12\"\n"
                   "    platforms: [manylinux_2_28_x86_64, musllinux_1_2_x86_64]\n"
                   "    implementation: cp\n"
                   "  requirements:\n"
                   "    - transformers[torch]==4.44.2\n"
                   "    - vllm>=0.5; sys_platform == \"linux\"\n"
                   "  requirements_files: [requirements.txt]\n"
                   "  constraints: [\"numpy<2\"]\n"
                   "  only_binary: false\n"
                   "  allow_sdist: [antlr4-python3-runtime]\n"
                   "  allow_prereleases: true\n"
                   "  username_env: PYPI_USER\n"
                   "  password_env: PYPI_TOKEN\n");
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_TRUE(m->pip);
    const PipSpec& pip = *m->pip;
    EXPECT_EQ(pip.index, "https://pypi.example/simple");
    EXPECT_EQ(pip.extra_indexes, std::vector<std::string>{"https://extra.example/simple"});
    EXPECT_EQ(pip.target.python, "3.12");
    EXPECT_EQ(pip.target.platforms, (std::vector<std::string>{"manylinux_2_28_x86_64", "musllinux_1_2_x86_64"}));
    EXPECT_EQ(pip.target.implementation, "cp");
    ASSERT_EQ(pip.requirements.size(), 2u);
    EXPECT_EQ(pip.requirements[1].text, "vllm>=0.5; sys_platform == \"linux\"");
    EXPECT_EQ(pip.requirements[1].mark.line, 12);
    EXPECT_EQ(pip.requirements[1].mark.column, 7);
    ASSERT_EQ(pip.requirements_files.size(), 1u);
    EXPECT_EQ(pip.requirements_files[0].text, "requirements.txt");
    ASSERT_EQ(pip.constraints.size(), 1u);
    EXPECT_EQ(pip.constraints[0].text, "numpy<2");
    EXPECT_FALSE(pip.only_binary);
    ASSERT_EQ(pip.allow_sdist.size(), 1u);
    EXPECT_EQ(pip.allow_sdist[0].text, "antlr4-python3-runtime");
    EXPECT_TRUE(pip.allow_prereleases);
    EXPECT_EQ(pip.username_env, "PYPI_USER");
    EXPECT_EQ(pip.password_env, "PYPI_TOKEN");
}

TEST(PipManifest, DefaultsArePipsAndBinaryOnly)
{
    auto m = parse(std::string(k_target) + "  requirements: [requests]\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->pip->index, "https://pypi.org/simple");
    EXPECT_TRUE(m->pip->extra_indexes.empty());
    EXPECT_EQ(m->pip->target.implementation, "cp");
    EXPECT_TRUE(m->pip->only_binary);
    EXPECT_FALSE(m->pip->allow_prereleases);
    EXPECT_FALSE(m->pip->username_env);
}

TEST(PipManifest, WithoutPipSectionThereIsNone)
{
    auto m = parse_manifest(std::string(k_header) + "files: []\n", "m.yaml");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_FALSE(m->pip);
}

TEST(PipManifest, ErrorsNameTheLine)
{
    const std::string target = k_target;
    EXPECT_EQ(error_of("  requirements: [x]\n"),
              "m.yaml:4:3: pip: 'target' must be a mapping with 'python' and 'platforms' (the gap's interpreter)");
    EXPECT_EQ(error_of("  target:\n    platforms: [win_amd64]\n  requirements: [x]\n"),
              "m.yaml:5:5: pip: target: missing 'python' (like \"3.11\")");
    EXPECT_EQ(error_of("  target:\n    python: \"3.11\"\n  requirements: [x]\n"),
              "m.yaml:5:5: pip: target: missing 'platforms' (like [manylinux_2_28_x86_64])");
    EXPECT_EQ(error_of("  target:\n    python: \"3.11\"\n    platforms: linux\n  requirements: [x]\n"),
              "m.yaml:6:16: pip: target: 'platforms' must be a list of wheel platform tags, like [manylinux_2_28_x86_64]");
    EXPECT_EQ(error_of("  target:\n    python: \"3.11\"\n    platform: [x]\n  requirements: [x]\n"),
              "m.yaml:6:5: unknown key 'platform' in pip: target (did you mean 'platforms'?)");
    EXPECT_EQ(error_of(target), "m.yaml:4:3: pip: give 'requirements' or 'requirements_files' (or a pip: list in a conda environment file)");
    EXPECT_EQ(error_of(target + "  requirements: requests\n"), "m.yaml:7:17: pip: 'requirements' must be a list");
    EXPECT_EQ(error_of(target + "  requirements: [\"\"]\n"), "m.yaml:7:18: pip: 'requirements'[0] must be a non-empty string");
    EXPECT_EQ(error_of(target + "  requirements: [x]\n  only_binary: maybe\n"),
              "m.yaml:8:16: pip: 'only_binary' must be true or false");
    EXPECT_EQ(error_of(target + "  requirements: [x]\n  requirement: [y]\n"),
              "m.yaml:8:3: unknown key 'requirement' in pip (did you mean 'requirements'?)");
    EXPECT_EQ(error_of(target + "  requirements: [x]\n  username_env: USER_A\n"),
              "m.yaml:4:3: pip: give both 'username_env' and 'password_env'");
    EXPECT_EQ(error_of(target + "  requirements: [x]\n  username_env: a-b\n  password_env: P\n"),
              "m.yaml:8:17: pip: 'username_env' names an environment variable (like NGC_USER), got 'a-b'; secrets never "
              "go in the manifest");
    auto list = parse_manifest(std::string(k_header) + "pip: [x]\n", "m.yaml");
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().message, "m.yaml:3:6: 'pip' must be a mapping with 'target' and 'requirements'");
}

TEST(PipManifest, IndexUrlsMustBeHttpWithoutSecrets)
{
    const std::string rest = std::string(k_target) + "  requirements: [x]\n";
    EXPECT_EQ(error_of("  index: ftp://x/simple\n" + rest),
              "m.yaml:4:10: pip: 'index' must be an http:// or https:// URL, got 'ftp://x/simple'");
    const auto secret = error_of("  index: https://me:s3cret@pypi.example/simple\n" + rest);
    EXPECT_EQ(secret.find("s3cret"), std::string::npos) << secret;
    EXPECT_NE(secret.find("carries credentials"), std::string::npos) << secret;
    EXPECT_EQ(error_of("  extra_indexes: [https://a, file:///srv]\n" + rest),
              "m.yaml:4:30: pip: 'extra_indexes[1]' must be an http:// or https:// URL, got 'file:///srv'");
}

}  // namespace
}  // namespace gapbundle::manifest
