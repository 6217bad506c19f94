#include "../../../src/sources/conda/version_regex.hpp"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace gapbundle::sources::conda::detail {
namespace {

bool matches(const std::string& pattern, std::string_view text)
{
    auto regex = VersionRegex::compile(pattern);
    if (!regex) {
        ADD_FAILURE() << regex.error().message;
        return false;
    }
    return regex->matches(text);
}

struct Case {
    std::string pattern;
    std::vector<std::string> yes;
    std::vector<std::string> no;
};

TEST(VersionRegexTest, MatchesEachFeature)
{
    const std::vector<Case> cases{
        {"^1.2$", {"1.2", "1x2"}, {"1.2.0", "12", "", "1\n2", "1\r2"}},
        {"^1\\.2$", {"1.2"}, {"1x2", "1.2.0"}},
        {"^1\\.2\\.[0-9]+$", {"1.2.3", "1.2.10"}, {"1.2", "1.2.", "1.3.1", "1.2.3a"}},
        {"^[a-c]$", {"a", "b", "c"}, {"d", "", "ab"}},
        {"^[^a-c]$", {"d", "1", "\n"}, {"a", "c", ""}},
        {"^[-a]$", {"-", "a"}, {"b"}},
        {"^[a-]$", {"-", "a"}, {"b"}},
        {"^[+--]$", {"+", ",", "-"}, {"."}},
        {"^[.|()*]$", {".", "|", "(", ")", "*"}, {"a"}},
        {"^[\\d.]+$", {"1.2", "..."}, {"1a"}},
        {"^[\\]\\\\]$", {"]", "\\"}, {"a"}},
        {"^\\d\\D$", {"1a", "2."}, {"12", "a1"}},
        {"^\\w\\W$", {"a.", "_-", "1 "}, {"ab", "._"}},
        {"^\\s\\S$", {" a", "\ta"}, {"aa", "  "}},
        {"^\\\\\\$$", {"\\$"}, {"\\", "$"}},
        {"^a]}$", {"a]}"}, {"a"}},
        {"^[{]\\{$", {"{{"}, {"{"}},
        {"^ab*c$", {"ac", "abc", "abbbc"}, {"abd", "bc"}},
        {"^ab+c$", {"abc", "abbc"}, {"ac"}},
        {"^ab?c$", {"ac", "abc"}, {"abbc"}},
        {"^ab+?c$", {"abc", "abbc"}, {"ac"}},
        {"^ab*?c$", {"ac", "abbc"}, {"abd"}},
        {"^ab??c$", {"ac", "abc"}, {"abbc"}},
        {"^a**$", {"", "aaa"}, {"b"}},
        {"^(ab)+$", {"ab", "abab"}, {"", "aba"}},
        {"^(?:ab)*c$", {"c", "ababc"}, {"abc c"}},
        {"^1\\.(2|3|10)$", {"1.2", "1.3", "1.10"}, {"1.4", "1.1", "1.23"}},
        {"^(a|)b$", {"ab", "b"}, {"aab"}},
        {"^()$", {""}, {"a"}},
        {"^(1|2)(\\.[0-9]+)*(rc[0-9]+)?$", {"1", "2.3.4", "1.0rc1"}, {"3", "1.rc1", "1.0rc"}},
        // '|' binds looser than the anchors: either starts with 1.2 or ends with 1.3
        {"^1\\.2|1\\.3$", {"1.2.9", "0.1.3", "1.2"}, {"0.1.2", "1.3.0"}},
        {"1\\.2", {"1.2", "0.1.2.3"}, {"1.3"}},
        {"^1$|^2$", {"1", "2"}, {"12"}},
        {"^(^a)$", {"a"}, {"ba"}},
    };
    for (const auto& c : cases) {
        for (const auto& yes : c.yes) EXPECT_TRUE(matches(c.pattern, yes)) << c.pattern << " should match " << yes;
        for (const auto& no : c.no) EXPECT_FALSE(matches(c.pattern, no)) << c.pattern << " should not match " << no;
    }
}

TEST(VersionRegexTest, IgnoresCase)
{
    EXPECT_TRUE(matches("^1\\.2RC1$", "1.2rc1"));
    EXPECT_TRUE(matches("^1\\.2rc1$", "1.2RC1"));
    EXPECT_TRUE(matches("^[a-c]+$", "AbC"));
    EXPECT_TRUE(matches("^[A-C]+$", "abc"));
    EXPECT_FALSE(matches("^[^a]$", "A"));
    EXPECT_TRUE(matches("^[Z-a]$", "z"));  // 'Z' is in the range, so 'z' is too (as std::regex has it)
    EXPECT_TRUE(matches("^\\W$", "-"));
    EXPECT_FALSE(matches("^\\W$", "Q"));
}

TEST(VersionRegexTest, KeepsThePattern)
{
    EXPECT_EQ(VersionRegex::compile("^1\\.2$")->pattern(), "^1\\.2$");
}

class VersionRegexInvalidTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(VersionRegexInvalidTest, NamesTheRegexAndTheFault)
{
    auto regex = VersionRegex::compile(GetParam().first);
    ASSERT_FALSE(regex);
    EXPECT_EQ(regex.error().code, ErrorCode::manifest);
    EXPECT_EQ(regex.error().message, "invalid regex '" + GetParam().first + "': " + GetParam().second);
}

using P = std::pair<std::string, std::string>;
INSTANTIATE_TEST_SUITE_P(
    Conda, VersionRegexInvalidTest,
    ::testing::Values(P{"^1{2}$", "repetition counts ('{') are not supported"},
                      P{"^1{4444444444}$", "repetition counts ('{') are not supported"},
                      P{"^{2}$", "repetition counts ('{') are not supported"},
                      P{"^(a)\\1$", "backreferences ('\\1') are not supported"},
                      P{"^(?=a)a$", "lookaheads ('(?=') are not supported"},
                      P{"^(?!a)b$", "lookaheads ('(?!') are not supported"},
                      P{"^(?<n>a)$", "'(?<' is not supported"},
                      P{"^\\bx$", "word boundaries ('\\b') are not supported"},
                      P{"^\\x41$", "escape '\\x' is not supported"},
                      P{"^[[:digit:]]$", "'[:' in '[...]' is not supported"},
                      P{"^[a-c-e]$", "'-' after a range in '[...]' is not supported"},
                      P{"^[\\d-z]$", "a range in '[...]' cannot start or end at a class"},
                      P{"^[z-a]$", "range 'z-a' is out of order"},
                      P{"^[]$", "empty character class '[]'"},
                      P{"^[^]$", "empty character class '[^]'"},
                      P{"^[ab$", "unbalanced '['"},
                      P{"^(ab$", "unbalanced '('"},
                      P{"^ab)$", "unbalanced ')'"},
                      P{"^*$", "'*' has nothing to repeat"},
                      P{"^(+)$", "'+' has nothing to repeat"},
                      P{"^a|?$", "'?' has nothing to repeat"},
                      P{"^a\\", "'\\' at the end"},
                      P{"^" + std::string(127, 'a') + "$", "a regex is limited to 128 characters"}));

TEST(VersionRegexTest, AcceptsTheLongestPattern)
{
    const std::string longest = "^" + std::string(126, 'a') + "$";
    EXPECT_TRUE(matches(longest, std::string(126, 'a')));
}

// A backtracking matcher takes exponential time (or overflows its stack) here; the NFA is linear.
TEST(VersionRegexTest, FinishesOnPathologicalInput)
{
    const std::string as(10'000, 'a');
    EXPECT_FALSE(matches("^(a*)*b$", as));
    EXPECT_TRUE(matches("^(a|aa)*$", as));
    EXPECT_FALSE(matches("^(a+)+$", as + "!"));
    EXPECT_TRUE(matches("^((a*)*|b)*a$", as));
}

// Random patterns of the supported subset, and random short texts, against std::regex_search.
class RegexGenerator {
public:
    explicit RegexGenerator(std::uint32_t seed) : m_random(seed) {}

    std::string pattern()
    {
        const auto body = alternation(k_depth);
        return pick(4) == 0 ? body : "^" + body + "$";
    }

    std::string text()
    {
        static const std::string alphabet = "aAbB12.- ";
        std::string out(pick(7), ' ');
        for (char& c : out) c = alphabet[pick(alphabet.size())];
        return out;
    }

private:
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_random); }

    std::string alternation(int depth)
    {
        std::string out = sequence(depth);
        while (pick(4) == 0) out += "|" + sequence(depth);
        return out;
    }

    std::string sequence(int depth)
    {
        std::string out;
        const auto terms = pick(4);
        for (std::size_t i = 0; i < terms; ++i) out += atom(depth) + quantifier(depth);
        return out;
    }

    std::string atom(int depth)
    {
        static const std::vector<std::string> atoms{
            "a",      "b",      "A",     "1",       "2",      ".",       "\\.",   "\\d",  "\\D",    "\\w",
            "\\W",    "\\s",    "\\-",   "[ab]",    "[^a]",   "[a-c]",   "[0-9]", "[A-B]", "[-a]", "[a-]",
            "[\\d.]", "[^\\w]", "[B-b]", "[^-1]",   "]",      "-",
        };
        if (depth > 0 && pick(4) == 0) return (pick(2) ? "(" : "(?:") + alternation(depth - 1) + ")";
        return atoms[pick(atoms.size())];
    }

    // Repetition inside a repeated group only as '?': std::regex backtracks exponentially on (a*b*)*.
    std::string quantifier(int depth)
    {
        static const std::vector<std::string> quantifiers{"", "", "", "?", "??", "*", "+", "*?", "+?"};
        return quantifiers[pick(depth == k_depth ? quantifiers.size() : 5)];
    }

    static constexpr int k_depth = 2;

    std::mt19937 m_random;
};

// Returns how many of the pairs matched, so that a test can see both answers were exercised.
int compare_with_std_regex(RegexCase letter_case, std::uint32_t seed)
{
    RegexGenerator generator(seed);
    const auto flags = letter_case == RegexCase::ignore ? std::regex::ECMAScript | std::regex::icase
                                                        : std::regex::ECMAScript;
    int matched = 0;
    for (int n = 0; n < 400; ++n) {
        const auto pattern = generator.pattern();
        auto ours = VersionRegex::compile(pattern, letter_case);
        if (!ours) {
            ADD_FAILURE() << ours.error().message;
            continue;
        }
        const std::regex theirs(pattern, flags);
        for (int t = 0; t < 25; ++t) {
            const auto text = generator.text();
            const bool expected = std::regex_search(text, theirs);
            EXPECT_EQ(ours->matches(text), expected) << "pattern '" << pattern << "' text '" << text << "'";
            matched += expected ? 1 : 0;
        }
    }
    return matched;
}

TEST(VersionRegexTest, AgreesWithStdRegexSearch)
{
    const int matched = compare_with_std_regex(RegexCase::ignore, 20261130);
    EXPECT_GT(matched, 1000);  // of 10,000 (4169 match)
    EXPECT_LT(matched, 9000);
}

TEST(VersionRegexTest, AgreesWithStdRegexSearchKeepingCase)
{
    const int matched = compare_with_std_regex(RegexCase::match, 20261201);
    EXPECT_GT(matched, 1000);
    EXPECT_LT(matched, 9000);
}

TEST(VersionRegexTest, KeepsCaseWhenAsked)
{
    EXPECT_FALSE(VersionRegex::compile("^py3$", RegexCase::match)->matches("PY3"));
    EXPECT_FALSE(VersionRegex::compile("^[a-c]$", RegexCase::match)->matches("B"));
    EXPECT_TRUE(VersionRegex::compile("^[^a-c]$", RegexCase::match)->matches("B"));
    EXPECT_TRUE(VersionRegex::compile("^py3$", RegexCase::match)->matches("py3"));
}

}  // namespace
}  // namespace gapbundle::sources::conda::detail
