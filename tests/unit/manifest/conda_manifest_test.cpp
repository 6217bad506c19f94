#include "section_fixture.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>


namespace gapbundle::manifest {
namespace {

std::vector<std::string> texts(const std::vector<TextLine>& lines)
{
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.text);
    return out;
}

class CondaManifestTest : public ManifestSectionTest {
protected:
    void write(const std::string& name, const std::string& content) { gapbundle::testing::write_text(dir() / name, content); }
};

TEST_F(CondaManifestTest, ParsesEveryKey)
{
    auto m = parse("conda:\n"
                   "  channels: [conda-forge, \"https://repo.example/channels/ml/\", conda-forge, nodefaults]\n"
                   "  subdirs: [linux-64, noarch]\n"
                   "  virtual_packages: { __glibc: \"2.28\", __unix: \"0\", __cuda: \"12.4\" }\n"
                   "  specs: [\"python=3.11\", \"numpy<2\"]\n");
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_TRUE(m->conda);
    const auto& conda = *m->conda;
    EXPECT_EQ(texts(conda.channels), (std::vector<std::string>{"conda-forge", "https://repo.example/channels/ml/"}));
    EXPECT_EQ(conda.subdirs, (std::vector<std::string>{"linux-64", "noarch"}));
    EXPECT_EQ(conda.virtual_packages,
              (std::map<std::string, std::string>{{"__cuda", "12.4"}, {"__glibc", "2.28"}, {"__unix", "0"}}));
    EXPECT_EQ(texts(conda.specs), (std::vector<std::string>{"python=3.11", "numpy<2"}));
    EXPECT_EQ(conda.specs[1].mark.line, 7);
    EXPECT_TRUE(conda.specs[1].mark.file.empty());
}

TEST_F(CondaManifestTest, NoarchIsAlwaysASubdirAndComesLast)
{
    auto m = parse("conda: { channels: [c], subdirs: [noarch, osx-arm64], specs: [a] }\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->conda->subdirs, (std::vector<std::string>{"osx-arm64", "noarch"}));
    auto only = parse("conda: { channels: [c], subdirs: [noarch], specs: [a] }\n");
    ASSERT_TRUE(only) << only.error().message;
    EXPECT_EQ(only->conda->subdirs, std::vector<std::string>{"noarch"});
}

TEST_F(CondaManifestTest, MergesEnvironmentFiles)
{
    write("envs/environment.yml", "name: ml\n"
                                  "channels: [pytorch, conda-forge, nodefaults]\n"
                                  "dependencies:\n"
                                  "  - numpy<2\n"
                                  "  - pip\n"
                                  "  - pip:\n"
                                  "      - requests==2.32.3\n"
                                  "      - -r extra.txt\n");
    auto m = parse("pip:\n"
                   "  target: { python: \"3.11\", platforms: [manylinux_2_28_x86_64] }\n"
                   "conda:\n"
                   "  channels: [conda-forge]\n"
                   "  subdirs: [linux-64]\n"
                   "  specs: [\"python=3.11\"]\n"
                   "  environment_files: [envs/environment.yml]\n");
    ASSERT_TRUE(m) << m.error().message;
    const auto& conda = *m->conda;
    EXPECT_EQ(texts(conda.channels), (std::vector<std::string>{"conda-forge", "pytorch"}));
    EXPECT_EQ(texts(conda.specs), (std::vector<std::string>{"python=3.11", "numpy<2", "pip"}));
    EXPECT_EQ(conda.specs[1].mark.file, dir() / "envs/environment.yml");
    EXPECT_EQ(m->location(conda.specs[1].mark), (dir() / "envs/environment.yml").string() + ":4:5");
    EXPECT_EQ(texts(m->pip->requirements), std::vector<std::string>{"requests==2.32.3"});
    EXPECT_EQ(m->location(m->pip->requirements[0].mark), (dir() / "envs/environment.yml").string() + ":7:9");
    EXPECT_EQ(texts(m->pip->requirements_files), std::vector<std::string>{(dir() / "envs/extra.txt").string()});
}

TEST_F(CondaManifestTest, AnEnvironmentFileAloneIsEnough)
{
    write("environment.yml", "channels: [conda-forge]\ndependencies: [python=3.11]\n");
    auto m = parse("conda: { subdirs: [linux-64], environment_files: [environment.yml] }\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(texts(m->conda->channels), std::vector<std::string>{"conda-forge"});
    EXPECT_EQ(texts(m->conda->specs), std::vector<std::string>{"python=3.11"});
}

TEST_F(CondaManifestTest, EnvironmentFileErrorsNameTheirLine)
{
    write("needs-pip.yml", "channels: [c]\ndependencies:\n  - a\n  - pip:\n      - requests\n");
    EXPECT_EQ(error_of("conda: { subdirs: [linux-64], environment_files: [needs-pip.yml] }\n"),
              "needs-pip.yml:5:9: this environment file has a pip: list, which needs the manifest's 'pip:' section "
              "with its 'target' (the gap's Python)");
    write("option.yml", "channels: [c]\ndependencies:\n  - a\n  - pip:\n      - --index-url https://x.example\n");
    EXPECT_EQ(error_of("pip: { target: { python: \"3.11\", platforms: [any] } }\n"
                       "conda: { subdirs: [linux-64], environment_files: [option.yml] }\n"),
              "option.yml:5:9: pip option '--index-url https://x.example' is not read from an environment file; set "
              "it in the manifest's 'pip:' section");
    write("bad.yml", "channels: [c]\ndependencies: numpy\n");
    EXPECT_EQ(error_of("conda: { subdirs: [linux-64], environment_files: [bad.yml] }\n"),
              "m.yaml:3:51: conda: environment_files: bad.yml:2:15: 'dependencies' must be a list");
    const std::string missing = error_of("conda: { subdirs: [linux-64], environment_files: [gone.yml] }\n");
    EXPECT_TRUE(missing.starts_with("m.yaml:3:51: conda: environment_files: ")) << missing;
    EXPECT_NE(missing.find("gone.yml"), std::string::npos) << missing;
    std::filesystem::create_directory(dir() / "folder.yml");
    EXPECT_EQ(error_of("conda: { subdirs: [linux-64], environment_files: [folder.yml] }\n"),
              "m.yaml:3:51: conda: environment_files: folder.yml is not a regular file");
    ASSERT_EQ(::mkfifo((dir() / "pipe.yml").c_str(), 0600), 0);  // opening it to read would wait for a writer
    EXPECT_EQ(error_of("conda: { subdirs: [linux-64], environment_files: [pipe.yml] }\n"),
              "m.yaml:3:51: conda: environment_files: pipe.yml is not a regular file");
    write("secret.yml", "channels: [\"https://user:pw@repo.example/c\"]\ndependencies: [a]\n");
    EXPECT_EQ(error_of("conda: { subdirs: [linux-64], environment_files: [secret.yml] }\n"),
              "secret.yml:1:12: channel 'https://…' carries credentials or a token: secrets never go in the manifest");
}

TEST_F(CondaManifestTest, ErrorsNameTheLine)
{
    EXPECT_EQ(error_of("conda: [a]\n"), "m.yaml:3:8: 'conda' must be a mapping with 'channels', 'subdirs' and 'specs'");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  specs: [a]\n"),
              "m.yaml:4:3: conda: missing 'subdirs', the target's platform (like [linux-64, noarch])");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux64]\n  specs: [a]\n"),
              "m.yaml:5:13: conda: 'linux64' is not a conda subdir (did you mean 'linux-64'?)");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux-64, osx-arm64]\n  specs: [a]\n"),
              "m.yaml:5:23: conda: 'subdirs' names two platforms, linux-64 and osx-arm64: a manifest describes one "
              "target (write one manifest per platform)");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux-64]\n"),
              "m.yaml:4:3: conda: no specs: list 'specs' (like [\"python=3.11\"]) or 'environment_files'");
    EXPECT_EQ(error_of("conda:\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:3: conda: no channels: list 'channels' (like [conda-forge]), here or in an environment file");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux-64]\n  specs: [a]\n  virtual_packages: { glibc: \"2.28\" }\n"),
              "m.yaml:7:23: conda: virtual_packages: 'glibc' is not a virtual package (their names start with '__', "
              "like __glibc)");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux-64]\n  specs: [a]\n  virtual_packages: [__glibc]\n"),
              "m.yaml:7:21: conda: 'virtual_packages' must be a mapping like { __glibc: \"2.28\", __cuda: \"12.4\" }");
    EXPECT_EQ(error_of("conda:\n  channels: [\"ftp://x/c\"]\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:14: channel 'ftp://x/c' must be a name or an http:// or https:// URL");
    EXPECT_EQ(error_of("conda:\n  channels: [\"file:///srv/channel\"]\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:14: channel 'file:///srv/channel': file:// channels are not supported yet; serve the folder "
              "over http");
    EXPECT_EQ(error_of("conda:\n  channels: [\"https://conda.example/t/tk-123/c\"]\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:14: channel 'https://…' carries credentials or a token: secrets never go in the manifest");
    EXPECT_EQ(error_of("conda:\n  channels: [\"a b\"]\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:14: channel 'a b' must be a name (like conda-forge) or a URL");
    EXPECT_EQ(error_of("conda:\n  channels: [c]\n  subdirs: [linux-64]\n  specs: [\"\"]\n"),
              "m.yaml:6:11: conda: 'specs'[0] must be a non-empty string");
    EXPECT_EQ(error_of("conda:\n  channel: [c]\n  subdirs: [linux-64]\n  specs: [a]\n"),
              "m.yaml:4:3: unknown key 'channel' in conda (did you mean 'channels'?)");
}

}  // namespace
}  // namespace gapbundle::manifest
