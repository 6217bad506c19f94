#include <gapbundle/sources/hf/patterns.hpp>

#include <algorithm>
#include <utility>

namespace gapbundle::sources::hf {

namespace {

using CodePoints = std::u32string;

// UTF-8 to code points; a byte that does not start a well-formed sequence becomes U+DC80+byte,
// as Python's surrogateescape would make it, so it still matches only itself.
CodePoints decode(std::string_view text)
{
    CodePoints out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = len != 0 && i + len <= text.size();
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1fu) : len == 3 ? (c & 0x0fu) : (c & 0x07u);
        for (std::size_t k = 1; ok && k < len; ++k) {
            const auto cont = static_cast<unsigned char>(text[i + k]);
            ok = (cont >> 6) == 0x2;
            cp = (cp << 6) | (cont & 0x3fu);
        }
        if (!ok) {
            out.push_back(0xDC00u + c);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

// One piece of a translated pattern.
struct Token {
    enum class Kind { literal, any_one, star, set, never };
    Kind kind = Kind::literal;
    char32_t ch = 0;                                    // literal
    bool negated = false;                               // set
    std::vector<std::pair<char32_t, char32_t>> ranges;  // set: inclusive ranges
};

// The body of a Python re character class ("stuff" in fnmatch.translate, with its escapes), as the
// regex engine reads it: an optional leading '^', then characters or "\x" escapes, "a-b" ranges,
// and a '-' that ends the class taken literally.
Token parse_regex_class(const CodePoints& stuff)
{
    Token token;
    token.kind = Token::Kind::set;
    std::size_t p = 0;
    if (!stuff.empty() && stuff[0] == U'^') {
        token.negated = true;
        p = 1;
    }
    const auto next_item = [&]() {
        if (stuff[p] == U'\\' && p + 1 < stuff.size()) {
            p += 2;
            return stuff[p - 1];
        }
        return stuff[p++];
    };
    while (p < stuff.size()) {
        const char32_t low = next_item();
        if (p + 1 < stuff.size() && stuff[p] == U'-') {
            ++p;
            const char32_t high = next_item();
            token.ranges.emplace_back(low, high);
        } else {
            token.ranges.emplace_back(low, low);
        }
    }
    return token;
}

CodePoints escape_for_class(const CodePoints& chunk, bool escape_hyphens)
{
    CodePoints out;
    for (char32_t c : chunk) {
        if (c == U'\\' || (escape_hyphens && c == U'-')) out.push_back(U'\\');
        out.push_back(c);
    }
    return out;
}

// fnmatch.translate's handling of "[...]": pattern[i, j) is the text between '[' and ']'.
Token translate_set(const CodePoints& pat, std::size_t i, std::size_t j)
{
    CodePoints stuff(pat.begin() + static_cast<std::ptrdiff_t>(i), pat.begin() + static_cast<std::ptrdiff_t>(j));
    if (std::find(stuff.begin(), stuff.end(), U'-') == stuff.end()) {
        stuff = escape_for_class(stuff, false);
    } else {
        std::vector<CodePoints> chunks;
        std::size_t k = pat[i] == U'!' ? i + 2 : i + 1;
        for (;;) {
            std::size_t found = std::u32string::npos;
            for (std::size_t s = k; s < j; ++s)
                if (pat[s] == U'-') {
                    found = s;
                    break;
                }
            if (found == std::u32string::npos) break;
            chunks.emplace_back(pat.begin() + static_cast<std::ptrdiff_t>(i),
                                pat.begin() + static_cast<std::ptrdiff_t>(found));
            i = found + 1;
            k = found + 3;
        }
        CodePoints last(pat.begin() + static_cast<std::ptrdiff_t>(i), pat.begin() + static_cast<std::ptrdiff_t>(j));
        if (!last.empty())
            chunks.push_back(std::move(last));
        else if (!chunks.empty())
            chunks.back() += U'-';
        // Remove empty ranges (a higher start than end).
        for (std::size_t m = chunks.size() - 1; m > 0; --m) {
            if (!chunks[m - 1].empty() && !chunks[m].empty() && chunks[m - 1].back() > chunks[m].front()) {
                chunks[m - 1] = chunks[m - 1].substr(0, chunks[m - 1].size() - 1) + chunks[m].substr(1);
                chunks.erase(chunks.begin() + static_cast<std::ptrdiff_t>(m));
            }
        }
        stuff.clear();
        for (std::size_t m = 0; m < chunks.size(); ++m) {
            if (m) stuff += U'-';
            stuff += escape_for_class(chunks[m], true);
        }
    }
    // (Set operations "&&", "~~", "||" are escaped by translate: literal characters here too.)
    if (stuff.empty()) return Token{.kind = Token::Kind::never, .ch = 0, .negated = false, .ranges = {}};
    if (stuff == U"!") return Token{.kind = Token::Kind::any_one, .ch = 0, .negated = false, .ranges = {}};
    if (stuff[0] == U'!') {
        stuff[0] = U'^';
    } else if (stuff[0] == U'^' || stuff[0] == U'[') {
        stuff.insert(stuff.begin(), U'\\');
    }
    return parse_regex_class(stuff);
}

std::vector<Token> translate(const CodePoints& pat)
{
    std::vector<Token> tokens;
    const std::size_t n = pat.size();
    std::size_t i = 0;
    while (i < n) {
        const char32_t c = pat[i++];
        if (c == U'*') {
            if (tokens.empty() || tokens.back().kind != Token::Kind::star)
                tokens.push_back(Token{.kind = Token::Kind::star, .ch = 0, .negated = false, .ranges = {}});
        } else if (c == U'?') {
            tokens.push_back(Token{.kind = Token::Kind::any_one, .ch = 0, .negated = false, .ranges = {}});
        } else if (c == U'[') {
            std::size_t j = i;
            if (j < n && pat[j] == U'!') ++j;
            if (j < n && pat[j] == U']') ++j;
            while (j < n && pat[j] != U']') ++j;
            if (j >= n) {
                tokens.push_back(Token{.kind = Token::Kind::literal, .ch = U'[', .negated = false, .ranges = {}});
            } else {
                tokens.push_back(translate_set(pat, i, j));
                i = j + 1;
            }
        } else {
            tokens.push_back(Token{.kind = Token::Kind::literal, .ch = c, .negated = false, .ranges = {}});
        }
    }
    return tokens;
}

bool matches_one(const Token& token, char32_t c)
{
    switch (token.kind) {
        case Token::Kind::literal:
            return c == token.ch;
        case Token::Kind::any_one:
            return true;
        case Token::Kind::never:
            return false;
        case Token::Kind::set: {
            const bool in = std::any_of(token.ranges.begin(), token.ranges.end(),
                                        [c](const auto& range) { return range.first <= c && c <= range.second; });
            return in != token.negated;
        }
        case Token::Kind::star:
            break;
    }
    return false;
}

// Every token but `star` takes exactly one character, so one backtracking point (the last star)
// decides the match as the regex would.
bool match_tokens(const std::vector<Token>& tokens, const CodePoints& name)
{
    std::size_t t = 0;
    std::size_t s = 0;
    std::size_t star_token = std::string::npos;
    std::size_t star_name = 0;
    while (s < name.size()) {
        if (t < tokens.size() && tokens[t].kind == Token::Kind::star) {
            star_token = t++;
            star_name = s;
        } else if (t < tokens.size() && matches_one(tokens[t], name[s])) {
            ++t;
            ++s;
        } else if (star_token != std::string::npos) {
            t = star_token + 1;
            s = ++star_name;
        } else {
            return false;
        }
    }
    while (t < tokens.size() && tokens[t].kind == Token::Kind::star) ++t;
    return t == tokens.size();
}

std::string normalize_separators(std::string_view value)
{
    std::string out(value);
    std::replace(out.begin(), out.end(), '\\', '/');
    return out;
}

std::string prepare_pattern(std::string_view pattern)
{
    std::string out = normalize_separators(pattern);
    if (out.ends_with('/')) out += '*';
    return out;
}

bool any_match(const std::vector<std::string>& patterns, std::string_view path)
{
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& pattern) { return fnmatch_case(path, prepare_pattern(pattern)); });
}

}  // namespace

bool fnmatch_case(std::string_view name, std::string_view pattern)
{
    return match_tokens(translate(decode(pattern)), decode(name));
}

bool keep_path(const PathFilter& filter, std::string_view path)
{
    const std::string normalized = normalize_separators(path);
    if (filter.allow && !any_match(*filter.allow, normalized)) return false;
    if (filter.ignore && any_match(*filter.ignore, normalized)) return false;
    return true;
}

std::vector<std::string> filter_paths(const PathFilter& filter, const std::vector<std::string>& paths)
{
    std::vector<std::string> kept;
    for (const auto& path : paths)
        if (keep_path(filter, path)) kept.push_back(path);
    return kept;
}

}  // namespace gapbundle::sources::hf
