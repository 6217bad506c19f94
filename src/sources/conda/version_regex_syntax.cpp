#include "version_regex_syntax.hpp"

#include "conda_text.hpp"

#include <string>
#include <utility>

namespace gapbundle::sources::conda::detail {
namespace {

using namespace conda_text;
using Bytes = std::bitset<256>;
using Kind = RegexTree::Kind;

std::unexpected<Error> reason(std::string why)
{
    return fail(ErrorCode::manifest, std::move(why));
}

unsigned char byte_of(char c)
{
    return static_cast<unsigned char>(c);
}

char to_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// icase as libstdc++ applies it: a byte matches when its lower or upper case is in the set.
Bytes fold_case(const Bytes& raw)
{
    Bytes folded;
    for (std::size_t b = 0; b < 256; ++b) {
        const auto c = static_cast<char>(b);
        folded[b] = raw[byte_of(to_lower(c))] || raw[byte_of(to_upper(c))];
    }
    return folded;
}

Bytes bytes_where(bool (*in)(char))
{
    Bytes set;
    for (std::size_t b = 0; b < 256; ++b) set[b] = in(static_cast<char>(b));
    return set;
}

bool is_word(char c)
{
    return ascii::is_alnum(c) || c == '_';
}

RegexTree leaf(Kind kind, Bytes bytes = {})
{
    return RegexTree{.kind = kind, .bytes = bytes, .children = {}};
}

RegexTree wrap(Kind kind, RegexTree child)
{
    RegexTree tree = leaf(kind);
    tree.children.push_back(std::move(child));
    return tree;
}

// What one '\' escape stands for: a single byte, or a class (\d \w \s and their negations).
struct Escape {
    Bytes bytes;
    bool is_class = false;
    char byte = 0;
};

class RegexParser {
public:
    RegexParser(std::string_view text, RegexCase letter_case) : m_text(text), m_letter_case(letter_case) {}

    Result<RegexTree> parse()
    {
        auto tree = alternation();
        if (!tree) return tree;
        if (m_pos < m_text.size()) return reason("unbalanced ')'");  // alternation() stops only there
        return tree;
    }

private:
    bool at_end() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    Result<RegexTree> alternation()
    {
        auto first = sequence();
        if (!first) return first;
        if (at_end() || peek() != '|') return first;
        RegexTree tree = wrap(Kind::alternation, std::move(*first));
        while (!at_end() && peek() == '|') {
            ++m_pos;
            auto next = sequence();
            if (!next) return next;
            tree.children.push_back(std::move(*next));
        }
        return tree;
    }

    Result<RegexTree> sequence()
    {
        RegexTree tree = leaf(Kind::sequence);
        while (!at_end() && peek() != '|' && peek() != ')') {
            auto term = this->term();
            if (!term) return term;
            tree.children.push_back(std::move(*term));
        }
        return tree;
    }

    Result<RegexTree> term()
    {
        const char c = peek();
        if (c == '^' || c == '$') {
            ++m_pos;
            if (!at_end() && is_quantifier(peek())) return nothing_to_repeat();
            return leaf(c == '^' ? Kind::begin : Kind::end);
        }
        if (is_quantifier(c)) return nothing_to_repeat();
        auto tree = atom();
        if (!tree) return tree;
        while (!at_end() && is_quantifier(peek())) {
            const char q = m_text[m_pos++];
            if (q == '{') return counts_unsupported();
            if (!at_end() && peek() == '?') ++m_pos;  // lazy: the same strings match
            tree = wrap(q == '*' ? Kind::star : q == '+' ? Kind::plus : Kind::optional, std::move(*tree));
        }
        return tree;
    }

    Bytes cased(const Bytes& raw) const { return m_letter_case == RegexCase::ignore ? fold_case(raw) : raw; }

    static bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

    std::unexpected<Error> nothing_to_repeat() const
    {
        if (peek() == '{') return counts_unsupported();
        return reason("'" + std::string(1, peek()) + "' has nothing to repeat");
    }
    static std::unexpected<Error> counts_unsupported()
    {
        return reason("repetition counts ('{') are not supported");
    }

    Result<RegexTree> atom()
    {
        const char c = m_text[m_pos++];
        switch (c) {
            case '.':  // ECMAScript: any byte but a line terminator
                return leaf(Kind::bytes, ~(single(byte_of('\n')) | single(byte_of('\r'))));
            case '(':
                return group();
            case '[':
                return character_class();
            case '\\': {
                auto escape = this->escape();
                if (!escape) return std::unexpected(escape.error());
                return leaf(Kind::bytes, cased(escape->bytes));
            }
            default:  // ']' and '}' alone are literals in ECMAScript
                return leaf(Kind::bytes, cased(single(byte_of(c))));
        }
    }

    static Bytes single(unsigned char b)
    {
        Bytes set;
        set[b] = true;
        return set;
    }

    Result<RegexTree> group()
    {
        if (!at_end() && peek() == '?') {
            const auto kind = m_text.substr(m_pos, 2);
            if (kind != "?:") {
                if (kind == "?=" || kind == "?!") return reason("lookaheads ('(" + std::string(kind) + "') are not supported");
                return reason("'(" + std::string(kind) + "' is not supported");
            }
            m_pos += 2;
        }
        auto inner = alternation();
        if (!inner) return inner;
        if (at_end()) return reason("unbalanced '('");
        ++m_pos;  // ')'
        return inner;
    }

    // After the '\'.
    Result<Escape> escape()
    {
        if (at_end()) return reason("'\\' at the end");
        const char c = m_text[m_pos++];
        Escape e;
        const auto named = [&](bool (*in)(char), bool negated) {
            e.is_class = true;
            e.bytes = negated ? ~bytes_where(in) : bytes_where(in);
            return e;
        };
        const auto byte = [&](char b) {
            e.byte = b;
            e.bytes = single(byte_of(b));
            return e;
        };
        switch (c) {
            case 'd': return named(is_digit, false);
            case 'D': return named(is_digit, true);
            case 'w': return named(is_word, false);
            case 'W': return named(is_word, true);
            case 's': return named(is_space, false);
            case 'S': return named(is_space, true);
            case 'n': return byte('\n');
            case 'r': return byte('\r');
            case 't': return byte('\t');
            case 'f': return byte('\f');
            case 'v': return byte('\v');
            case 'b':
            case 'B': return reason("word boundaries ('\\" + std::string(1, c) + "') are not supported");
            default: break;
        }
        if (c >= '1' && c <= '9') return reason("backreferences ('\\" + std::string(1, c) + "') are not supported");
        if (ascii::is_alnum(c)) return reason("escape '\\" + std::string(1, c) + "' is not supported");
        return byte(c);
    }

    // After the '['.
    Result<RegexTree> character_class()
    {
        const bool negated = !at_end() && peek() == '^';
        if (negated) ++m_pos;
        Bytes raw;
        bool first = true;
        while (true) {
            if (at_end()) return reason("unbalanced '['");
            if (peek() == ']') break;
            if (peek() == '-' && !first && m_pos + 1 < m_text.size() && m_text[m_pos + 1] != ']')
                return reason("'-' after a range in '[...]' is not supported");
            auto from = class_member();
            if (!from) return std::unexpected(from.error());
            first = false;
            if (at_end() || peek() != '-' || m_pos + 1 >= m_text.size() || m_text[m_pos + 1] == ']') {
                raw |= from->bytes;
                continue;
            }
            ++m_pos;  // '-': a range
            auto to = class_member();
            if (!to) return std::unexpected(to.error());
            if (from->is_class || to->is_class) return reason("a range in '[...]' cannot start or end at a class");
            if (byte_of(from->byte) > byte_of(to->byte))
                return reason("range '" + std::string(1, from->byte) + "-" + std::string(1, to->byte) +
                              "' is out of order");
            for (auto b = byte_of(from->byte); b <= byte_of(to->byte); ++b) {
                raw[b] = true;
                if (b == 255) break;
            }
        }
        if (first) return reason("empty character class '[" + std::string(negated ? "^" : "") + "]'");
        ++m_pos;  // ']'
        const Bytes members = cased(raw);
        return leaf(Kind::bytes, negated ? ~members : members);
    }

    // One member of a class: a byte, or an escape.
    Result<Escape> class_member()
    {
        const char c = m_text[m_pos++];
        if (c == '\\') return escape();
        if (c == '[' && !at_end() && (peek() == ':' || peek() == '.' || peek() == '='))
            return reason("'[" + std::string(1, peek()) + "' in '[...]' is not supported");
        Escape e;
        e.byte = c;
        e.bytes = single(byte_of(c));
        return e;
    }

    std::string_view m_text;
    RegexCase m_letter_case;
    std::size_t m_pos = 0;
};

}  // namespace

Result<RegexTree> parse_regex_tree(std::string_view pattern, RegexCase letter_case)
{
    return RegexParser(pattern, letter_case).parse();
}

}  // namespace gapbundle::sources::conda::detail
