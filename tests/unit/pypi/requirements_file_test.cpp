#include <gapbundle/sources/pypi/requirements_file.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

namespace stdfs = std::filesystem;
using gapbundle::testing::write_text;

const std::string k_hex_a(64, 'a');
const std::string k_hex_b = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::vector<std::string> names(const std::vector<RequirementLine>& lines)
{
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.requirement.name);
    return out;
}

std::vector<std::string> wheres(const std::vector<RequirementLine>& lines)
{
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.where);
    return out;
}

// The error message of parsing `text` as "reqs.txt", or "(parsed)" when it parses.
std::string error_of(std::string_view text)
{
    auto parsed = parse_requirements_text(text, "reqs.txt");
    if (parsed) return "(parsed)";
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest) << parsed.error().message;
    return parsed.error().message;
}

// Sets an environment variable for one test.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) { ::setenv(name, value, 1); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv() { ::unsetenv(m_name); }

private:
    const char* m_name;
};

class RequirementsFileTest : public gapbundle::testing::TestDirFixture {
protected:
    // Writes `content` as dir()/name and returns the path.
    [[nodiscard]] stdfs::path file(const std::string& name, const std::string& content) const
    {
        auto path = dir() / name;
        write_text(path, content);
        return path;
    }
    [[nodiscard]] std::string at(const std::string& name, int line) const
    {
        return (dir() / name).string() + ":" + std::to_string(line);
    }
};

// --- lines, comments, continuation ---------------------------------------------------------------

TEST(RequirementsTextParseTest, ReadsRequirementsWithTheirLines)
{
    auto parsed = parse_requirements_text(
        "numpy>=1.26,<2\n"
        "\n"
        "requests[socks] >= 2.8 ; python_version < \"3.12\"\n"
        "   \t  \n"
        "Flask\n",
        "dir/reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"numpy", "requests", "Flask"}));
    EXPECT_EQ(wheres(parsed->requirements),
              (std::vector<std::string>{"dir/reqs.txt:1", "dir/reqs.txt:3", "dir/reqs.txt:5"}));
    EXPECT_EQ(parsed->requirements[0].requirement.specifier.to_string(), ">=1.26,<2");
    EXPECT_EQ(parsed->requirements[1].requirement.extras, (std::vector<std::string>{"socks"}));
    ASSERT_TRUE(parsed->requirements[1].requirement.marker);
    EXPECT_EQ(parsed->requirements[1].requirement.marker->to_string(), "python_version < \"3.12\"");
    EXPECT_TRUE(parsed->requirements[0].hashes.empty());
    EXPECT_TRUE(parsed->constraints.empty());
    EXPECT_FALSE(parsed->index_url);
    EXPECT_TRUE(parsed->extra_index_urls.empty());
    EXPECT_FALSE(parsed->pre);
}

TEST(RequirementsTextParseTest, EmptyTextHasNothing)
{
    for (const char* text : {"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF", "   \\\n"}) {
        auto parsed = parse_requirements_text(text, "reqs.txt");
        ASSERT_TRUE(parsed) << parsed.error().message;
        EXPECT_TRUE(parsed->requirements.empty()) << text;
    }
}

TEST(RequirementsTextParseTest, DropsComments)
{
    auto parsed = parse_requirements_text(
        "# a comment\n"
        "   # an indented comment\n"
        "alpha==1.0  # trailing comment\n"
        "beta\t# after a tab\n"
        "gamma @ https://host/gamma-1.0-py3-none-any.whl#sha256=abc\n"
        "#delta\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta", "gamma"}));
    EXPECT_EQ(parsed->requirements[0].requirement.specifier.to_string(), "==1.0");
    EXPECT_EQ(parsed->requirements[2].requirement.url, "https://host/gamma-1.0-py3-none-any.whl#sha256=abc");
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{"reqs.txt:3", "reqs.txt:4", "reqs.txt:5"}));
}

TEST(RequirementsTextParseTest, JoinsContinuedLinesWithHashes)
{
    auto parsed = parse_requirements_text(
        "first\n"
        "numpy==2.0.0 \\\n"
        "    --hash=sha256:" +
            k_hex_a +
            " \\\n"
            "    --hash=sha256:" +
            k_hex_b +
            "\n"
            "last\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(names(parsed->requirements), (std::vector<std::string>{"first", "numpy", "last"}));
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{"reqs.txt:1", "reqs.txt:2", "reqs.txt:5"}));
    EXPECT_EQ(parsed->requirements[1].requirement.specifier.to_string(), "==2.0.0");
    EXPECT_EQ(parsed->requirements[1].hashes, (std::vector<std::string>{"sha256:" + k_hex_a, "sha256:" + k_hex_b}));
}

TEST(RequirementsTextParseTest, ContinuationSplitsARequirement)
{
    auto parsed = parse_requirements_text("x\nrequests\\\n[socks]\\\n>=2\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->requirements.size(), 2u);
    EXPECT_EQ(parsed->requirements[1].where, "reqs.txt:2");
    EXPECT_EQ(parsed->requirements[1].requirement.to_string(), "requests[socks]>=2");
}

TEST(RequirementsTextParseTest, CommentLineEndsAContinuation)
{
    // As pip: a comment line never continues, and it ends the line being continued.
    auto parsed = parse_requirements_text("alpha \\\n# a comment \\\nbeta\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{"reqs.txt:1", "reqs.txt:3"}));
}

TEST(RequirementsTextParseTest, CommentAfterContinuedHashes)
{
    auto parsed = parse_requirements_text("alpha==1 \\\n  --hash=sha256:" + k_hex_a + "  # pinned\nbeta\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(parsed->requirements[0].hashes, (std::vector<std::string>{"sha256:" + k_hex_a}));
    EXPECT_EQ(parsed->requirements[1].where, "reqs.txt:3");
}

TEST(RequirementsTextParseTest, BackslashOnTheLastLineJoinsNothing)
{
    auto parsed = parse_requirements_text("alpha\nbeta>=1 \\", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(parsed->requirements[1].requirement.specifier.to_string(), ">=1");
}

TEST(RequirementsTextParseTest, AcceptsCrlfAndCr)
{
    auto parsed = parse_requirements_text(
        "alpha==1\r\n# comment\r\nbeta \\\r\n  >=2 \\\r\n  --hash=sha256:" + k_hex_a + "\r\ngamma\rdelta\r\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta", "gamma", "delta"}));
    EXPECT_EQ(wheres(parsed->requirements),
              (std::vector<std::string>{"reqs.txt:1", "reqs.txt:3", "reqs.txt:6", "reqs.txt:7"}));
    EXPECT_EQ(parsed->requirements[1].requirement.specifier.to_string(), ">=2");
    EXPECT_EQ(parsed->requirements[1].hashes, (std::vector<std::string>{"sha256:" + k_hex_a}));
}

TEST(RequirementsTextParseTest, AcceptsAUtf8Bom)
{
    auto parsed = parse_requirements_text(
        "\xEF\xBB\xBF"
        "alpha\nbeta\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(parsed->requirements[0].where, "reqs.txt:1");
    // Only at the start.
    EXPECT_NE(error_of("alpha\n\xEF\xBB\xBF"
                       "beta\n"),
              "(parsed)");
}

// --- hashes ------------------------------------------------------------------------------------------

TEST(RequirementsTextParseTest, ReadsHashFormsLowercasedWithoutDuplicates)
{
    const std::string upper_a(64, 'A');
    auto parsed = parse_requirements_text("alpha==1 --hash=sha256:" + upper_a + " --hash sha256:" + k_hex_b +
                                              " --hash=sha256:" + k_hex_a + " --hash=SHA256:" + k_hex_b + "\n",
                                          "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->requirements.size(), 1u);
    EXPECT_EQ(parsed->requirements[0].hashes, (std::vector<std::string>{"sha256:" + k_hex_a, "sha256:" + k_hex_b}));
}

TEST(RequirementsTextParseTest, HashesBelongToTheirOwnLine)
{
    auto parsed = parse_requirements_text(
        "alpha --hash=sha256:" + k_hex_a + "\nbeta\ngamma --hash=sha256:" + k_hex_b + "\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->requirements.size(), 3u);
    EXPECT_EQ(parsed->requirements[0].hashes, (std::vector<std::string>{"sha256:" + k_hex_a}));
    EXPECT_TRUE(parsed->requirements[1].hashes.empty());
    EXPECT_EQ(parsed->requirements[2].hashes, (std::vector<std::string>{"sha256:" + k_hex_b}));
}

TEST(RequirementsTextParseTest, RefusesOtherHashAlgorithms)
{
    EXPECT_EQ(error_of("ok\nalpha --hash=md5:d41d8cd98f00b204e9800998ecf8427e\n"),
              "reqs.txt:2: unsupported --hash 'md5:d41d8cd98f00b204e9800998ecf8427e': only sha256 is supported");
    EXPECT_EQ(error_of("alpha --hash sha512:" + std::string(128, 'a') + "\n"),
              "reqs.txt:1: unsupported --hash 'sha512:" + std::string(128, 'a') + "': only sha256 is supported");
}

TEST(RequirementsTextParseTest, RefusesMalformedHashes)
{
    EXPECT_EQ(error_of("alpha --hash=sha256:abc\n"),
              "reqs.txt:1: invalid --hash 'sha256:abc': expected 64 hex digits after 'sha256:'");
    EXPECT_EQ(
        error_of("alpha --hash=sha256:" + std::string(63, 'a') + "g\n"),
        "reqs.txt:1: invalid --hash 'sha256:" + std::string(63, 'a') + "g': expected 64 hex digits after 'sha256:'");
    EXPECT_EQ(error_of("alpha --hash=sha256:" + k_hex_a + "0\n"),
              "reqs.txt:1: invalid --hash 'sha256:" + k_hex_a + "0': expected 64 hex digits after 'sha256:'");
    EXPECT_EQ(error_of("alpha --hash=" + k_hex_a + "\n"),
              "reqs.txt:1: invalid --hash '" + k_hex_a + "': expected sha256:HEX");
    EXPECT_EQ(error_of("alpha --hash\n"), "reqs.txt:1: option '--hash' needs a value");
    EXPECT_EQ(error_of("alpha --hash=\n"), "reqs.txt:1: option '--hash' needs a value");
}

TEST(RequirementsTextParseTest, RefusesAHashWithoutARequirement)
{
    EXPECT_EQ(error_of("alpha\n\n--hash=sha256:" + k_hex_a + "\n"),
              "reqs.txt:3: --hash must follow a requirement on the same line");
}

// --- global options ------------------------------------------------------------------------------------

TEST(RequirementsTextParseTest, ReadsGlobalOptions)
{
    auto parsed = parse_requirements_text(
        "-i https://first.example/simple\n"
        "--extra-index-url https://extra1.example/simple\n"
        "alpha\n"
        "--extra-index-url=https://extra2.example/simple\n"
        "--index-url=https://second.example/simple\n"
        "--extra-index-url https://extra1.example/simple\n"
        "--pre\n"
        "beta\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->index_url, "https://second.example/simple");
    EXPECT_EQ(parsed->extra_index_urls,
              (std::vector<std::string>{"https://extra1.example/simple", "https://extra2.example/simple"}));
    EXPECT_TRUE(parsed->pre);
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
}

TEST(RequirementsTextParseTest, LastIndexUrlWinsInEveryForm)
{
    for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
             {"--index-url https://a.example/simple\n", "https://a.example/simple"},
             {"--index-url=https://a.example/simple\n", "https://a.example/simple"},
             {"-i https://a.example/simple\n", "https://a.example/simple"},
             {"-ihttps://a.example/simple\n", "https://a.example/simple"},
             {"-i 'https://a.example/q uoted'\n", "https://a.example/q uoted"},
             {"-i https://a.example/ --index-url https://b.example/\n", "https://b.example/"},
             {"-i https://a.example/\n-i https://c.example/\n", "https://c.example/"},
         }) {
        auto parsed = parse_requirements_text(text, "reqs.txt");
        ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
        EXPECT_EQ(parsed->index_url, expected) << text;
    }
}

TEST(RequirementsTextParseTest, IgnoresBinaryAndHashPolicyOptions)
{
    auto parsed = parse_requirements_text(
        "--only-binary :all:\n--only-binary=:all:\n--prefer-binary\n--require-hashes\nalpha\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha"}));
    EXPECT_FALSE(parsed->index_url);
    EXPECT_TRUE(parsed->extra_index_urls.empty());
    EXPECT_FALSE(parsed->pre);
}

struct OptionCase {
    std::string text;
    std::string message;
};

class RequirementsUnsupportedOptionTest : public ::testing::TestWithParam<OptionCase> {};

TEST_P(RequirementsUnsupportedOptionTest, NamesTheLineAndTheOption)
{
    EXPECT_EQ(error_of("alpha\n" + GetParam().text + "\nbeta\n"), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    RequirementsFile, RequirementsUnsupportedOptionTest,
    ::testing::Values(
        OptionCase{.text = "-e ./local", .message = "reqs.txt:2: option '-e' is not supported by gapbundle"},
        OptionCase{.text = "-e git+https://alice:pw@host/r.git#egg=r",
                   .message = "reqs.txt:2: option '-e' is not supported by gapbundle"},
        OptionCase{.text = "-egit+https://alice:pw@host/r.git",
                   .message = "reqs.txt:2: option '-e' is not supported by gapbundle"},
        OptionCase{.text = "--editable=./local",
                   .message = "reqs.txt:2: option '--editable' is not supported by gapbundle"},
        OptionCase{.text = "-f https://host/links", .message = "reqs.txt:2: option '-f' is not supported by gapbundle"},
        OptionCase{.text = "--find-links=https://alice:pw@host/",
                   .message = "reqs.txt:2: option '--find-links' is not supported by gapbundle"},
        OptionCase{.text = "--no-binary :all:",
                   .message = "reqs.txt:2: option '--no-binary' is not supported by gapbundle"},
        OptionCase{.text = "--trusted-host host",
                   .message = "reqs.txt:2: option '--trusted-host' is not supported by gapbundle"},
        OptionCase{.text = "--no-index", .message = "reqs.txt:2: option '--no-index' is not supported by gapbundle"},
        OptionCase{.text = "--use-feature=truststore",
                   .message = "reqs.txt:2: option '--use-feature' is not supported by gapbundle"},
        OptionCase{.text = "--no-require-hashes",
                   .message = "reqs.txt:2: option '--no-require-hashes' is not supported by gapbundle"},
        OptionCase{.text = "--frobnicate",
                   .message = "reqs.txt:2: option '--frobnicate' is not supported by gapbundle"},
        OptionCase{.text = "--index", .message = "reqs.txt:2: option '--index' is not supported by gapbundle"},
        OptionCase{.text = "-x", .message = "reqs.txt:2: option '-x' is not supported by gapbundle"},
        OptionCase{.text = "--pre -Z", .message = "reqs.txt:2: option '-Z' is not supported by gapbundle"},
        OptionCase{.text = "alpha --config-settings=k=v",
                   .message = "reqs.txt:2: option '--config-settings' is not supported by gapbundle"},
        OptionCase{.text = "alpha -C k=v", .message = "reqs.txt:2: option '-C' is not supported by gapbundle"},
        OptionCase{.text = "gamma --pre",
                   .message = "reqs.txt:2: option '--pre' must be on a line of its own, not after a requirement"},
        OptionCase{.text = "gamma -r other.txt",
                   .message = "reqs.txt:2: option '-r' must be on a line of its own, not after a requirement"},
        OptionCase{.text = "-r", .message = "reqs.txt:2: option '-r' needs a value"},
        OptionCase{.text = "--index-url", .message = "reqs.txt:2: option '--index-url' needs a value"},
        OptionCase{.text = "--extra-index-url=", .message = "reqs.txt:2: option '--extra-index-url' needs a value"},
        OptionCase{.text = "--pre=yes", .message = "reqs.txt:2: option '--pre' takes no value"},
        OptionCase{.text = "--pre stray", .message = "reqs.txt:2: unexpected 'stray' among options"},
        OptionCase{.text = "-i 'https://host/unclosed",
                   .message = "reqs.txt:2: unclosed quote or trailing backslash in '-i 'https://host/unclosed'"}),
    [](const ::testing::TestParamInfo<OptionCase>& param) { return "Case" + std::to_string(param.index); });

// --- requirement forms -------------------------------------------------------------------------------------

class RequirementsDirectReferenceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RequirementsDirectReferenceTest, IsRefused)
{
    EXPECT_EQ(error_of("alpha\n\n" + GetParam() + "\n"),
              "reqs.txt:3: '" + GetParam() + "': direct URL and path requirements are not supported");
}

INSTANTIATE_TEST_SUITE_P(RequirementsFile, RequirementsDirectReferenceTest,
                         ::testing::Values("./pkg", "../pkg/", "/abs/pkg", "~/pkg", "pkg/sub", "./pkg[extra]",
                                           "https://host/alpha-1.0-py3-none-any.whl", "http://host/alpha-1.0.tar.gz",
                                           "file:///tmp/alpha-1.0-py3-none-any.whl",
                                           "git+https://github.com/pypa/pip.git@24.0#egg=pip", "hg+https://host/repo",
                                           "svn+ssh://host/repo", "alpha-1.0-py3-none-any.whl", "alpha-1.0.tar.gz",
                                           "alpha-1.0.zip", "ALPHA-1.0.TGZ", "./pkg ; python_version < '3.12'"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                             return "Case" + std::to_string(param.index);
                         });

TEST(RequirementsTextParseTest, KeepsNameAtUrl)
{
    auto parsed = parse_requirements_text(
        "pip @ https://host/pip-24.0-py3-none-any.whl\n"
        "alpha[x]@https://host/alpha-1.0-py3-none-any.whl ; os_name == 'posix' --hash=sha256:" +
            k_hex_a + "\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->requirements.size(), 2u);
    EXPECT_EQ(parsed->requirements[0].requirement.url, "https://host/pip-24.0-py3-none-any.whl");
    EXPECT_EQ(parsed->requirements[1].requirement.name, "alpha");
    EXPECT_EQ(parsed->requirements[1].requirement.url, "https://host/alpha-1.0-py3-none-any.whl");
    EXPECT_TRUE(parsed->requirements[1].requirement.marker);
    EXPECT_EQ(parsed->requirements[1].hashes, (std::vector<std::string>{"sha256:" + k_hex_a}));
}

TEST(RequirementsTextParseTest, MalformedRequirementNamesLineAndColumn)
{
    const auto inner = Requirement::parse("numpy>=");
    ASSERT_FALSE(inner);
    EXPECT_EQ(error_of("ok\nnumpy>=\n"), "reqs.txt:2: " + inner.error().message);
    EXPECT_NE(error_of("ok\nnumpy>=\n").find("(column 8)"), std::string::npos);
    EXPECT_EQ(error_of("a\nb\nc \\\n  d==1\n"), "reqs.txt:3: " + Requirement::parse("c   d==1").error().message);
}

// --- environment variables ---------------------------------------------------------------------------------

TEST(RequirementsTextParseTest, ExpandsEnvironmentVariables)
{
    const ScopedEnv host("GAPBUNDLE_REQS_TEST_HOST", "mirror.example");
    const ScopedEnv version("GAPBUNDLE_REQS_TEST_V2", "2.1");
    ::unsetenv("GAPBUNDLE_REQS_TEST_UNSET");
    auto parsed = parse_requirements_text(
        "--index-url https://${GAPBUNDLE_REQS_TEST_HOST}/simple\n"
        "--extra-index-url https://${GAPBUNDLE_REQS_TEST_UNSET}/simple\n"
        "--extra-index-url https://$GAPBUNDLE_REQS_TEST_HOST/a/${gapbundle_reqs_test_host}/${GAPBUNDLE-X}\n"
        "alpha==${GAPBUNDLE_REQS_TEST_V2}.${GAPBUNDLE_REQS_TEST_V2}\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->index_url, "https://mirror.example/simple");
    EXPECT_EQ(
        parsed->extra_index_urls,
        (std::vector<std::string>{"https://${GAPBUNDLE_REQS_TEST_UNSET}/simple",
                                  "https://$GAPBUNDLE_REQS_TEST_HOST/a/${gapbundle_reqs_test_host}/${GAPBUNDLE-X}"}));
    ASSERT_EQ(parsed->requirements.size(), 1u);
    EXPECT_EQ(parsed->requirements[0].requirement.specifier.to_string(), "==2.1.2.1");
}

TEST(RequirementsTextParseTest, EmptyVariableStaysAsWritten)
{
    const ScopedEnv empty("GAPBUNDLE_REQS_TEST_EMPTY", "");
    auto parsed = parse_requirements_text("-i https://host/${GAPBUNDLE_REQS_TEST_EMPTY}\n", "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->index_url, "https://host/${GAPBUNDLE_REQS_TEST_EMPTY}");
}

TEST(RequirementsTextParseTest, VariablesExpandAfterComments)
{
    // A '#' in a value does not start a comment: comments go first, as in pip.
    const ScopedEnv frag("GAPBUNDLE_REQS_TEST_FRAG", "x #y");
    EXPECT_EQ(error_of("-i https://host/${GAPBUNDLE_REQS_TEST_FRAG}\n"), "reqs.txt:1: unexpected '#y' among options");
    auto parsed = parse_requirements_text("alpha ${GAPBUNDLE_REQS_TEST_FRAG}\n", "reqs.txt");
    EXPECT_FALSE(parsed);
}

// --- redaction ----------------------------------------------------------------------------------------------

TEST(RequirementsTextParseTest, KeepsCredentialsInReturnedUrls)
{
    const ScopedEnv token("GAPBUNDLE_REQS_TEST_TOKEN", "tok-123");
    auto parsed = parse_requirements_text(
        "-i https://alice:s3cret@host/simple\n--extra-index-url "
        "https://__token__:${GAPBUNDLE_REQS_TEST_TOKEN}@host/x\n",
        "reqs.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->index_url, "https://alice:s3cret@host/simple");
    EXPECT_EQ(parsed->extra_index_urls, (std::vector<std::string>{"https://__token__:tok-123@host/x"}));
}

TEST(RequirementsTextParseTest, RedactsPasswordsInMessages)
{
    EXPECT_EQ(error_of("git+https://alice:s3cret@host/r.git\n"),
              "reqs.txt:1: 'git+https://alice:***@host/r.git': direct URL and path requirements are not supported");
    EXPECT_EQ(
        error_of("https://ghp_abcdef@host/a-1.0-py3-none-any.whl\n"),
        "reqs.txt:1: 'https://***@host/a-1.0-py3-none-any.whl': direct URL and path requirements are not supported");
    EXPECT_EQ(error_of("-r https://bob:pw@host/reqs.txt\n"),
              "reqs.txt:1: including 'https://bob:***@host/reqs.txt' from a URL is not supported by gapbundle");
    const auto message = error_of("alpha @ https://alice:s3cret@host/a.whl ; bogus marker\n");
    EXPECT_TRUE(message.starts_with("reqs.txt:1: invalid requirement")) << message;
    EXPECT_NE(message.find("alice:***@host"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
}

TEST(RequirementsTextParseTest, RedactsSecretVariablesInMessages)
{
    const ScopedEnv token("GAPBUNDLE_REQS_TEST_API_TOKEN", "tok-98765");
    const ScopedEnv password("GAPBUNDLE_REQS_TEST_PASSWORD", "hunter22");
    EXPECT_EQ(error_of("./pkg?token=${GAPBUNDLE_REQS_TEST_API_TOKEN}\n"),
              "reqs.txt:1: './pkg?token=***': direct URL and path requirements are not supported");
    const auto message = error_of(
        "alpha @ https://user:${GAPBUNDLE_REQS_TEST_PASSWORD}@host/a.whl ; x==${GAPBUNDLE_REQS_TEST_API_TOKEN}\n");
    EXPECT_TRUE(message.starts_with("reqs.txt:1: invalid requirement")) << message;
    EXPECT_EQ(message.find("hunter22"), std::string::npos) << message;
    EXPECT_EQ(message.find("tok-98765"), std::string::npos) << message;
}

// --- includes (on disk) ----------------------------------------------------------------------------------------

TEST_F(RequirementsFileTest, ReadsIncludesInOrderRelativeToTheIncludingFile)
{
    const auto main = file("main.txt", "alpha\n-r sub/more.txt\nzeta\n--requirement=sub/last.txt\n");
    (void)file("sub/more.txt", "beta\n--requirement ../other.txt\ngamma\n");
    (void)file("other.txt", "delta\n-rsub/deep/x.txt\n");
    (void)file("sub/deep/x.txt", "epsilon\n");
    (void)file("sub/last.txt", "omega\n");
    auto parsed = read_requirements_file(main);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements),
              (std::vector<std::string>{"alpha", "beta", "delta", "epsilon", "gamma", "zeta", "omega"}));
    EXPECT_EQ(
        wheres(parsed->requirements),
        (std::vector<std::string>{at("main.txt", 1), at("sub/more.txt", 1), at("other.txt", 1), at("sub/deep/x.txt", 1),
                                  at("sub/more.txt", 3), at("main.txt", 3), at("sub/last.txt", 1)}));
    EXPECT_TRUE(parsed->constraints.empty());
}

TEST_F(RequirementsFileTest, ReadsConstraintsAndIncludesInsideThem)
{
    const auto main = file("main.txt", "alpha\n-c constraints.txt\nbeta\n--constraint=c2.txt\n--constraint c3.txt\n");
    (void)file("constraints.txt", "alpha<2\n-r nested.txt\nzeta<9\n");
    (void)file("nested.txt", "beta<3\n-c deeper.txt\n");
    (void)file("deeper.txt", "gamma<4 --hash=sha256:" + k_hex_a + "\n");
    (void)file("c2.txt", "delta<5\n");
    (void)file("c3.txt", "epsilon<6\n");
    auto parsed = read_requirements_file(main);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(names(parsed->constraints),
              (std::vector<std::string>{"alpha", "beta", "gamma", "zeta", "delta", "epsilon"}));
    EXPECT_EQ(wheres(parsed->constraints),
              (std::vector<std::string>{at("constraints.txt", 1), at("nested.txt", 1), at("deeper.txt", 1),
                                        at("constraints.txt", 3), at("c2.txt", 1), at("c3.txt", 1)}));
    EXPECT_EQ(parsed->constraints[2].hashes, (std::vector<std::string>{"sha256:" + k_hex_a}));
    EXPECT_EQ(parsed->constraints[0].requirement.specifier.to_string(), "<2");
}

TEST_F(RequirementsFileTest, GlobalOptionsApplyFromIncludedFiles)
{
    const auto main = file("main.txt", "-i https://first/simple\n-r more.txt\n-c cons.txt\n");
    (void)file("more.txt", "--index-url https://second/simple\n--extra-index-url https://x/simple\n");
    (void)file("cons.txt", "--pre\n--extra-index-url https://y/simple\n--extra-index-url https://x/simple\n");
    auto parsed = read_requirements_file(main);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->index_url, "https://second/simple");
    EXPECT_EQ(parsed->extra_index_urls, (std::vector<std::string>{"https://x/simple", "https://y/simple"}));
    EXPECT_TRUE(parsed->pre);
}

TEST_F(RequirementsFileTest, IncludesFromTextResolveAgainstItsFolder)
{
    (void)file("real.txt", "beta\n");
    auto parsed = parse_requirements_text("alpha\n-r real.txt\n", dir() / "virtual.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{at("virtual.txt", 1), at("real.txt", 1)}));
}

TEST_F(RequirementsFileTest, ExpandsVariablesInIncludePaths)
{
    const ScopedEnv sub("GAPBUNDLE_REQS_TEST_SUB", "nested");
    const auto main = file("main.txt", "-r ${GAPBUNDLE_REQS_TEST_SUB}/more.txt\n");
    (void)file("nested/more.txt", "beta\n");
    auto parsed = read_requirements_file(main);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{at("nested/more.txt", 1)}));
}

TEST_F(RequirementsFileTest, AFileIncludedTwiceIsNoCycle)
{
    const auto main = file("main.txt", "-r b.txt\n-r c.txt\n");
    (void)file("b.txt", "-r d.txt\n");
    (void)file("c.txt", "-r d.txt\n");
    (void)file("d.txt", "delta\n");
    auto parsed = read_requirements_file(main);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(names(parsed->requirements), (std::vector<std::string>{"delta", "delta"}));
}

TEST_F(RequirementsFileTest, RefusesIncludeCycles)
{
    const auto a = file("a.txt", "alpha\n-r b.txt\n");
    (void)file("b.txt", "beta\n\n-c sub/../a.txt\n");
    auto parsed = read_requirements_file(a);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, at("b.txt", 3) + ": include cycle: " + (dir() / "a.txt").string() + " -> " +
                                          (dir() / "b.txt").string() + " -> " + (dir() / "a.txt").string());
}

TEST_F(RequirementsFileTest, RefusesAFileIncludingItself)
{
    const auto a = file("a.txt", "\n\n-r ./a.txt\n");
    auto parsed = read_requirements_file(a);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message,
              at("a.txt", 3) + ": include cycle: " + (dir() / "a.txt").string() + " -> " + (dir() / "a.txt").string());
}

TEST_F(RequirementsFileTest, RefusesACycleBelowTheTop)
{
    const auto main = file("main.txt", "-r b.txt\n");
    (void)file("b.txt", "-r c.txt\n");
    (void)file("c.txt", "gamma\n-r b.txt\n");
    auto parsed = read_requirements_file(main);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, at("c.txt", 2) + ": include cycle: " + (dir() / "b.txt").string() + " -> " +
                                          (dir() / "c.txt").string() + " -> " + (dir() / "b.txt").string());
}

TEST_F(RequirementsFileTest, MissingIncludeNamesTheIncludingLine)
{
    const auto main = file("main.txt", "-r more.txt\n");
    (void)file("more.txt", "beta\n\n-c missing.txt\n");
    auto parsed = read_requirements_file(main);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, at("more.txt", 3) +
                                          ": cannot include 'missing.txt': " + (dir() / "missing.txt").string() +
                                          ": cannot open: No such file or directory");
}

TEST_F(RequirementsFileTest, ErrorsInIncludedFilesNameThatFile)
{
    const auto main = file("main.txt", "alpha\n-r sub/more.txt\n");
    (void)file("sub/more.txt", "beta\n\\\n\n-e .\n");
    auto parsed = read_requirements_file(main);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, at("sub/more.txt", 4) + ": option '-e' is not supported by gapbundle");
}

TEST_F(RequirementsFileTest, MissingFileIsAnError)
{
    auto parsed = read_requirements_file(dir() / "nope.txt");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, (dir() / "nope.txt").string() + ": cannot open: No such file or directory");
}

TEST_F(RequirementsFileTest, AllowsIncludesThirtyTwoDeep)
{
    for (int i = 0; i < 32; ++i)
        (void)file("f" + std::to_string(i) + ".txt", "-r f" + std::to_string(i + 1) + ".txt\n");
    (void)file("f32.txt", "bottom\n");
    auto parsed = read_requirements_file(dir() / "f0.txt");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(wheres(parsed->requirements), (std::vector<std::string>{at("f32.txt", 1)}));
}

TEST_F(RequirementsFileTest, RefusesIncludesDeeperThanThirtyTwo)
{
    for (int i = 0; i < 33; ++i)
        (void)file("f" + std::to_string(i) + ".txt", "-r f" + std::to_string(i + 1) + ".txt\n");
    (void)file("f33.txt", "bottom\n");
    auto parsed = read_requirements_file(dir() / "f0.txt");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::manifest);
    EXPECT_EQ(parsed.error().message, at("f32.txt", 1) + ": cannot include 'f33.txt': includes nest more than 32 deep");
}

TEST_F(RequirementsFileTest, RefusesFilesOver16MiB)
{
    const std::string at_limit = "alpha\n#" + std::string(k_max_requirements_file_bytes - 7, 'x');
    auto big_ok = parse_requirements_text(at_limit, "big.txt");
    ASSERT_TRUE(big_ok) << big_ok.error().message;
    EXPECT_EQ(names(big_ok->requirements), (std::vector<std::string>{"alpha"}));

    const std::string over = at_limit + "x";
    auto big_text = parse_requirements_text(over, "big.txt");
    ASSERT_FALSE(big_text);
    EXPECT_EQ(big_text.error().code, ErrorCode::manifest);
    EXPECT_EQ(big_text.error().message, "big.txt: larger than 16 MiB");

    const auto big = file("big.txt", over);
    auto big_file = read_requirements_file(big);
    ASSERT_FALSE(big_file);
    EXPECT_EQ(big_file.error().code, ErrorCode::manifest);
    EXPECT_TRUE(big_file.error().message.starts_with(big.string() + ": ")) << big_file.error().message;

    const auto main = file("main.txt", "alpha\n-r big.txt\n");
    auto included = read_requirements_file(main);
    ASSERT_FALSE(included);
    EXPECT_TRUE(included.error().message.starts_with(at("main.txt", 2) + ": cannot include 'big.txt': "))
        << included.error().message;
}

}  // namespace
}  // namespace gapbundle::sources::pypi
