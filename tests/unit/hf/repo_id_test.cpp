#include <gapbundle/sources/hf/repo_id.hpp>

#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace gapbundle::sources::hf {
namespace {

struct IdCase {
    std::string id;
    bool valid;
};

// Expected results from running huggingface_hub 1.29.0.dev0's own validate_repo_id under CPython
// 3.11, except the two marked: Python's \w takes any Unicode letter and its `$` matches before a
// final newline; we take ASCII only and no newline (the Hub's own names are ASCII).
const std::vector<IdCase> k_ids = {
    {"foo", true},
    {"foo/bar", true},
    {"123", true},
    {"Foo-BAR_foo.bar123", true},
    {"datasets/foo/bar", false},
    {".repo_id", false},
    {"foo--bar", false},
    {"foo.git", false},
    {"other..repo..id", false},
    {"org/-name", false},
    {"org/name-", false},
    {"-org/name", false},
    {"org./name", false},
    {"org/.name", false},
    {"org/name.", false},
    {"_org/_name_", true},
    {"a", true},
    {"a/b", true},
    {std::string(96, 'a'), true},
    {std::string(97, 'a'), false},
    {"o/" + std::string(96, 'a'), true},
    {"o/" + std::string(97, 'a'), false},
    {std::string(200, 'x') + "/a", true},  // only the name is limited
    {"org/na me", false},
    {"org/na+me", false},
    {"org/", false},
    {"/name", false},
    {"", false},
    {"org//name", false},
    {"org/name.git", false},
    {"org.git/name", true},
    {"org/na.git.x", true},
    {"org/n-a.m_e", true},
    {"caf\xc3\xa9/mod\xc3\xa8le", false},  // huggingface_hub: valid (Unicode \w)
    {"org/name\n", false},                 // huggingface_hub: valid ($ before a final newline)
    {"a.b/c-d", true},
    {"org/n--", false},
    {"9/9", true},
};

TEST(RepoIdTest, ValidatesAsHuggingfaceHub)
{
    for (const auto& [id, valid] : k_ids) EXPECT_EQ(validate_repo_id(id).has_value(), valid) << "'" << id << "'";
}

TEST(RepoIdTest, ErrorsNameTheIdAndTheRule)
{
    EXPECT_EQ(validate_repo_id("a/b/c").error().message,
              "invalid Hugging Face repo id 'a/b/c': expected 'name' or 'namespace/name'");
    EXPECT_EQ(validate_repo_id("org/-x").error().message,
              "invalid Hugging Face repo id 'org/-x': use letters, digits, '-', '_' or '.', not starting or ending "
              "with '-' or '.'");
    EXPECT_EQ(validate_repo_id("a--b").error().message,
              "invalid Hugging Face repo id 'a--b': '--' and '..' are not allowed");
    EXPECT_EQ(validate_repo_id("a/b.git").error().message,
              "invalid Hugging Face repo id 'a/b.git': it cannot end with '.git'");
    EXPECT_EQ(validate_repo_id(std::string(97, 'n')).error().message,
              "invalid Hugging Face repo id '" + std::string(97, 'n') + "': the name is longer than 96 characters");
    EXPECT_EQ(validate_repo_id("x").has_value(), true);
    EXPECT_EQ(validate_repo_id("a b").error().code, ErrorCode::manifest);
}

TEST(RepoIdTest, ParsesIntoTypeAndId)
{
    auto repo = parse_repo_id(RepoType::dataset, "org/data");
    ASSERT_TRUE(repo);
    EXPECT_EQ(*repo, (RepoId{.type = RepoType::dataset, .id = "org/data"}));
    EXPECT_FALSE(parse_repo_id(RepoType::model, "org/../x"));
}

TEST(RepoIdTest, ParsesRepoTypesAndRefusesSpaces)
{
    EXPECT_EQ(parse_repo_type("model"), RepoType::model);
    EXPECT_EQ(parse_repo_type("dataset"), RepoType::dataset);
    auto space = parse_repo_type("space");
    ASSERT_FALSE(space);
    EXPECT_EQ(space.error().code, ErrorCode::manifest);
    EXPECT_EQ(space.error().message,
              "Hugging Face repo type 'space' is not supported: only 'model' and 'dataset' repos can be bundled");
    EXPECT_EQ(parse_repo_type("models").error().message,
              "unknown Hugging Face repo type 'models': expected 'model' or 'dataset'");
    EXPECT_FALSE(parse_repo_type("Model"));
}

TEST(RepoIdTest, NamesTypesForUrlsAndMessages)
{
    EXPECT_EQ(to_string(RepoType::model), "model");
    EXPECT_EQ(to_string(RepoType::dataset), "dataset");
    EXPECT_EQ(api_plural(RepoType::model), "models");
    EXPECT_EQ(api_plural(RepoType::dataset), "datasets");
    EXPECT_EQ(url_prefix(RepoType::model), "");
    EXPECT_EQ(url_prefix(RepoType::dataset), "datasets/");
    EXPECT_EQ(describe(RepoId{.type = RepoType::model, .id = "org/name"}), "repo 'org/name'");
    EXPECT_EQ(describe(RepoId{.type = RepoType::dataset, .id = "org/name"}), "dataset 'org/name'");
}

TEST(RepoIdTest, MakesCacheFolderNames)
{
    EXPECT_EQ(repo_folder_name(RepoId{.type = RepoType::model, .id = "julien-c/EsperBERTo-small"}),
              "models--julien-c--EsperBERTo-small");
    EXPECT_EQ(repo_folder_name(RepoId{.type = RepoType::dataset, .id = "org/name"}), "datasets--org--name");
    EXPECT_EQ(repo_folder_name(RepoId{.type = RepoType::model, .id = "gpt2"}), "models--gpt2");
}

TEST(RevisionTest, RecognisesCommitHashes)
{
    EXPECT_TRUE(is_commit_hash("0123456789abcdef0123456789abcdef01234567"));
    EXPECT_FALSE(is_commit_hash("0123456789ABCDEF0123456789abcdef01234567"));
    EXPECT_FALSE(is_commit_hash("0123456789abcdef0123456789abcdef0123456"));
    EXPECT_FALSE(is_commit_hash("0123456789abcdef0123456789abcdef012345678"));
    EXPECT_FALSE(is_commit_hash("main"));
    EXPECT_FALSE(is_commit_hash("g123456789abcdef0123456789abcdef01234567"));
}

struct RevisionCase {
    std::string revision;
    bool valid;
};

// `git check-ref-format --allow-onelevel` gives the same answers (checked below when git is
// installed), except "-dash": git branch and git tag refuse a leading '-', and so do we.
const std::vector<RevisionCase> k_revisions = {
    {"main", true},        {"v1.0", true},
    {"refs/pr/1", true},   {"release/2024-01", true},
    {"feature/x.y", true}, {"0123456789abcdef0123456789abcdef01234567", true},
    {"abc123", true},      {"", false},
    {"@", false},          {"a@b", true},
    {"a@{1}", false},      {"/main", false},
    {"main/", false},      {"a//b", false},
    {"a..b", false},       {".hidden", false},
    {"a/.b", false},       {"a.lock", false},
    {"a/b.lock", false},   {"a.lockx", true},
    {"a b", false},        {"a~1", false},
    {"a^", false},         {"a:b", false},
    {"a?", false},         {"a*", false},
    {"a[", false},         {"a\\b", false},
    {"a.", false},         {"\xc3\xa9-branch", true},
    {"a/-b", true},        {"HEAD", true},
    {"a\tb", false},       {"a\x7f", false},
    {"-dash", false},
};

TEST(RevisionTest, ValidatesAsGitRefNames)
{
    for (const auto& [revision, valid] : k_revisions)
        EXPECT_EQ(validate_revision(revision).has_value(), valid) << "'" << revision << "'";
}

class RevisionGitTest : public gapbundle::testing::TestDirFixture {};

TEST_F(RevisionGitTest, AgreesWithGitCheckRefFormat)
{
    if (!std::filesystem::exists("/usr/bin/git")) GTEST_SKIP() << "git is not installed";
    for (const auto& [revision, valid] : k_revisions) {
        if (revision.empty() || revision.front() == '-') continue;  // not passable as an argument
        const auto run =
            gapbundle::testing::run_program("/usr/bin/git", {"check-ref-format", "--allow-onelevel", revision}, dir());
        EXPECT_EQ(run.status == 0, valid) << "'" << revision << "'";
    }
}

TEST(RevisionTest, ErrorsNameTheRevision)
{
    auto bad = validate_revision("a..b");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::manifest);
    EXPECT_EQ(bad.error().message, "invalid revision 'a..b': '..' is not allowed");
    EXPECT_EQ(validate_revision("a:b").error().message, "invalid revision 'a:b': ':' is not allowed");
    EXPECT_EQ(validate_revision("x/y.lock").error().message,
              "invalid revision 'x/y.lock': a component cannot end with '.lock'");
}

TEST(UrlQuoteTest, QuotesRevisionsWithNoSafeCharacters)
{
    EXPECT_EQ(quote_revision("main"), "main");
    EXPECT_EQ(quote_revision("refs/pr/1"), "refs%2Fpr%2F1");
    EXPECT_EQ(quote_revision("v1.0-rc_1~2"), "v1.0-rc_1~2");
    EXPECT_EQ(quote_revision("a b+c@d"), "a%20b%2Bc%40d");
    EXPECT_EQ(quote_revision("\xc3\xa9"), "%C3%A9");
}

TEST(UrlQuoteTest, QuotesPathsKeepingSlashes)
{
    EXPECT_EQ(quote_path("onnx/model.onnx"), "onnx/model.onnx");
    EXPECT_EQ(quote_path("dir with space/a#b?c%d.txt"), "dir%20with%20space/a%23b%3Fc%25d.txt");
    EXPECT_EQ(quote_path("a&b=c;d,e:f!g'h(i)*$"), "a%26b%3Dc%3Bd%2Ce%3Af%21g%27h%28i%29%2A%24");
    EXPECT_EQ(url_quote("a/b:c", "/:"), "a/b:c");
}

}  // namespace
}  // namespace gapbundle::sources::hf
