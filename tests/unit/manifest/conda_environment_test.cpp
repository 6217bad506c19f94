#include <gapbundle/manifest/conda_environment.hpp>

#include <gtest/gtest.h>

namespace gapbundle::manifest {
namespace {

std::vector<std::string> texts(const std::vector<EnvironmentLine>& lines)
{
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.text);
    return out;
}

std::string error_of(const std::string& yaml)
{
    auto environment = parse_conda_environment(yaml, "environment.yml");
    if (environment) return "(parsed)";
    EXPECT_EQ(environment.error().code, ErrorCode::manifest) << environment.error().message;
    return environment.error().message;
}

TEST(CondaEnvironmentFile, ReadsChannelsSpecsAndThePipList)
{
    auto environment = parse_conda_environment("name: ml\n"
                                               "channels:\n"
                                               "  - conda-forge\n"
                                               "  - nodefaults\n"
                                               "dependencies:\n"
                                               "  - python=3.11\n"
                                               "  - numpy<2\n"
                                               "  - pip\n"
                                               "  - pip:\n"
                                               "    - requests==2.31.0\n"
                                               "    - -r requirements.txt\n"
                                               "prefix: /opt/conda/envs/ml\n"
                                               "variables:\n"
                                               "  OMP_NUM_THREADS: 4\n",
                                               "envs/environment.yml");
    ASSERT_TRUE(environment) << environment.error().message;
    EXPECT_EQ(environment->name, "ml");
    EXPECT_EQ(texts(environment->channels), (std::vector<std::string>{"conda-forge", "nodefaults"}));
    EXPECT_EQ(texts(environment->specs), (std::vector<std::string>{"python=3.11", "numpy<2", "pip"}));
    EXPECT_EQ(texts(environment->pip), (std::vector<std::string>{"requests==2.31.0", "-r requirements.txt"}));
    EXPECT_EQ(environment->location(environment->specs[1].mark), "envs/environment.yml:7:5");
    EXPECT_EQ(environment->location(environment->pip[0].mark), "envs/environment.yml:10:7");
}

TEST(CondaEnvironmentFile, NeedsNoNameOrChannels)
{
    auto environment = parse_conda_environment("dependencies: [\"python 3.11.*\"]\n", "e.yml");
    ASSERT_TRUE(environment) << environment.error().message;
    EXPECT_TRUE(environment->name.empty());
    EXPECT_TRUE(environment->channels.empty());
    EXPECT_EQ(texts(environment->specs), std::vector<std::string>{"python 3.11.*"});
}

TEST(CondaEnvironmentFile, NamesWhatIsWrongAndWhere)
{
    EXPECT_EQ(error_of("- numpy\n"), "environment.yml:1:1: an environment file is a mapping with 'channels' and "
                                     "'dependencies'");
    EXPECT_NE(error_of("dependencies: [numpy]\nchanels: [conda-forge]\n").find("environment.yml:2:1: unknown key "
                                                                               "'chanels'"),
              std::string::npos)
        << error_of("dependencies: [numpy]\nchanels: [conda-forge]\n");
    EXPECT_EQ(error_of("channels: conda-forge\ndependencies: [numpy]\n"),
              "environment.yml:1:11: 'channels' must be a list");
    EXPECT_EQ(error_of("dependencies:\n  - numpy\n  - {conda: [x]}\n"),
              "environment.yml:3:5: dependencies[1] must be a conda spec (like \"numpy<2\") or a 'pip:' list");
    EXPECT_EQ(error_of("dependencies:\n  - pip: [a]\n  - pip: [b]\n"),
              "environment.yml:3:5: dependencies[1]: a second 'pip:' list (give one)");
    EXPECT_EQ(error_of("dependencies:\n  - pip: requests\n"), "environment.yml:2:10: dependencies[0]: 'pip' must be a list");
    EXPECT_EQ(error_of("dependencies:\n  - \"\"\n"),
              "environment.yml:2:5: dependencies[0] must be a conda spec (like \"numpy<2\") or a 'pip:' list");
    EXPECT_EQ(error_of("name: x\n"), "environment.yml:1:1: no 'dependencies': the environment asks for nothing");
    EXPECT_TRUE(error_of("dependencies: [a\n").starts_with("environment.yml:2:"));  // a YAML error, with its place
    EXPECT_EQ(error_of("dependencies: [a]\n---\ndependencies: [b]\n"),
              "environment.yml:3:1: only one YAML document is allowed");
}

TEST(CondaEnvironmentFile, SaysWhichFileCannotBeRead)
{
    auto missing = load_conda_environment("/nonexistent/environment.yml");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("/nonexistent/environment.yml"), std::string::npos) << missing.error().message;
}

}  // namespace
}  // namespace gapbundle::manifest
