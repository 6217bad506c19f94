#include <gapbundle/sources/conda/version_spec.hpp>

#include "conda_text.hpp"
#include "version_spec_node.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using namespace conda_text;
using Node = VersionSpec::Node;

struct OperatorSpelling {
    std::string_view text;
    VersionOperator op;
};

// Longest first, so "<=" is not read as "<".
constexpr std::array k_operators{
    OperatorSpelling{.text = "==", .op = VersionOperator::equal},
    OperatorSpelling{.text = "!=", .op = VersionOperator::not_equal},
    OperatorSpelling{.text = "<=", .op = VersionOperator::less_equal},
    OperatorSpelling{.text = ">=", .op = VersionOperator::greater_equal},
    OperatorSpelling{.text = "~=", .op = VersionOperator::compatible},
    OperatorSpelling{.text = "<", .op = VersionOperator::less},
    OperatorSpelling{.text = ">", .op = VersionOperator::greater},
    OperatorSpelling{.text = "=", .op = VersionOperator::starts_with},
};

// Parsing and matching recurse once per level (a stack overflow at about 1,300 levels was found
// by fuzz/conda_parser_fuzzer); conda's own specs nest two or three deep.
constexpr std::size_t k_max_nesting = 64;

bool is_operator_char(char c)
{
    return c == '=' || c == '<' || c == '>' || c == '!' || c == '~';
}

Node leaf(VersionOperator op)
{
    return Node{.op = op,
                .operand = std::nullopt,
                .compatible_prefix = std::nullopt,
                .pattern = {},
                .regex = {},
                .children = {}};
}

// Builds the tree of one spec; errors carry only the reason, parse() adds the spec.
class TreeParser {
public:
    explicit TreeParser(std::string_view text) : m_text(text) {}

    Result<std::vector<Node>> parse()
    {
        auto root = any_of();
        if (!root) return std::unexpected(root.error());
        skip_spaces();
        if (m_pos < m_text.size()) {
            return reason(m_text[m_pos] == ')' ? "unbalanced ')'"
                                               : "unexpected '" + std::string(1, m_text[m_pos]) + "'");
        }
        return std::move(m_nodes);
    }

private:
    static std::unexpected<Error> reason(std::string why) { return fail(ErrorCode::manifest, std::move(why)); }

    void skip_spaces()
    {
        while (m_pos < m_text.size() && is_space(m_text[m_pos])) ++m_pos;
    }
    bool take(char c)
    {
        skip_spaces();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    Result<std::size_t> combine(VersionOperator op, char separator, Result<std::size_t> (TreeParser::*operand)())
    {
        auto first = (this->*operand)();
        if (!first) return first;
        std::vector<std::size_t> children{*first};
        while (take(separator)) {
            auto next = (this->*operand)();
            if (!next) return next;
            children.push_back(*next);
        }
        if (children.size() == 1) return children.front();
        auto node = leaf(op);
        node.children = std::move(children);
        m_nodes.push_back(std::move(node));
        return m_nodes.size() - 1;
    }

    Result<std::size_t> any_of() { return combine(VersionOperator::any_of, '|', &TreeParser::all_of); }
    Result<std::size_t> all_of() { return combine(VersionOperator::all_of, ',', &TreeParser::term); }

    Result<std::size_t> term()
    {
        if (take('(')) {
            if (++m_depth > k_max_nesting)
                return reason("parentheses nested more than " + std::to_string(k_max_nesting) + " deep");
            auto inner = any_of();
            if (!inner) return inner;
            if (!take(')')) return reason("unbalanced '('");
            --m_depth;
            return inner;
        }
        skip_spaces();
        const auto start = m_pos;
        if (m_pos < m_text.size() && m_text[m_pos] == '^') {  // a regex may hold | , ( )
            const auto end = m_text.find('$', m_pos);
            if (end == std::string_view::npos)
                return reason("regex '" + std::string(m_text.substr(m_pos)) + "' has no closing '$'");
            m_pos = end + 1;
        } else {
            while (m_pos < m_text.size() && std::string_view("()|,").find(m_text[m_pos]) == std::string_view::npos)
                ++m_pos;
        }
        const auto word = trim(m_text.substr(start, m_pos - start));
        if (word.empty()) {
            return reason(m_pos < m_text.size() ? "missing version before '" + std::string(1, m_text[m_pos]) + "'"
                                                : "missing version at the end");
        }
        auto node = parse_leaf(word);
        if (!node) return std::unexpected(node.error());
        m_nodes.push_back(std::move(*node));
        return m_nodes.size() - 1;
    }

    static Result<VersionOrder> operand_of(std::string_view word, std::string_view version)
    {
        auto parsed = VersionOrder::parse(version);
        if (!parsed) return reason("in '" + std::string(word) + "': " + parsed.error().message);
        return parsed;
    }

    static Result<Node> comparison(std::string_view word)
    {
        const auto* spelling =
            std::ranges::find_if(k_operators, [&](const auto& s) { return word.starts_with(s.text); });
        if (spelling == k_operators.end())  // '!' or '~' alone (found by fuzz/conda_parser_fuzzer)
            return reason("invalid operator in '" + std::string(word) + "'");
        auto version = word.substr(spelling->text.size());
        if (version.empty()) return reason("operator '" + std::string(spelling->text) + "' has no version");
        if (is_operator_char(version.front())) return reason("invalid operator in '" + std::string(word) + "'");
        if (std::ranges::any_of(version, is_space)) return reason("unexpected space in '" + std::string(word) + "'");
        auto op = spelling->op;
        if (version.ends_with(".*")) {
            if (op == VersionOperator::compatible)
                return reason("'~=' cannot end in '.*' in '" + std::string(word) + "'");
            if (op == VersionOperator::not_equal) op = VersionOperator::not_starts_with;
            version.remove_suffix(2);  // conda reads ==1.2.* as ==1.2 and >=1.2.* as >=1.2
        }
        auto node = leaf(op);
        auto operand = operand_of(word, version);
        if (!operand) return std::unexpected(operand.error());
        node.operand = std::move(*operand);
        if (op == VersionOperator::compatible) {
            const auto dot = version.rfind('.');
            if (dot == std::string_view::npos)
                return reason("'~=' needs at least two components in '" + std::string(word) + "'");
            auto prefix = operand_of(word, version.substr(0, dot));
            if (!prefix) return std::unexpected(prefix.error());
            node.compatible_prefix = std::move(*prefix);
        }
        return node;
    }

    static Result<Node> parse_leaf(std::string_view word)
    {
        if (word.front() == '^' || word.back() == '$') {
            if (word.front() != '^' || word.back() != '$')
                return reason("a regex must start with '^' and end with '$'");
            auto regex = detail::VersionRegex::compile(word);
            if (!regex) return reason(regex.error().message);
            auto node = leaf(VersionOperator::regex);
            node.regex = std::move(*regex);
            return node;
        }
        if (is_operator_char(word.front())) return comparison(word);
        if (word == "*") return leaf(VersionOperator::any);
        const auto stem = word.substr(0, word.find_last_not_of('*') + 1);
        if (stem.find('*') != std::string_view::npos) {
            auto node = leaf(VersionOperator::glob);
            node.pattern = lower(word);
            return node;
        }
        auto version = word;
        auto op = VersionOperator::equal;
        if (word.back() == '*') {
            op = VersionOperator::starts_with;
            version = stem;
            if (version.ends_with('.')) version.remove_suffix(1);
        }
        auto node = leaf(op);
        auto operand = operand_of(word, version);
        if (!operand) return std::unexpected(operand.error());
        node.operand = std::move(*operand);
        return node;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_depth = 0;  // of '('
    std::vector<Node> m_nodes;
};

bool node_matches(const std::vector<Node>& nodes, std::size_t index, const VersionOrder& version)
{
    const Node& node = nodes[index];
    const auto& operand = node.operand;
    switch (node.op) {
        case VersionOperator::any:
            return true;
        case VersionOperator::equal:
            return version == *operand;
        case VersionOperator::not_equal:
            return version != *operand;
        case VersionOperator::less:
            return version < *operand;
        case VersionOperator::less_equal:
            return version <= *operand;
        case VersionOperator::greater:
            return version > *operand;
        case VersionOperator::greater_equal:
            return version >= *operand;
        case VersionOperator::starts_with:
            return version.starts_with(*operand);
        case VersionOperator::not_starts_with:
            return !version.starts_with(*operand);
        case VersionOperator::compatible:
            return version >= *operand && version.starts_with(*node.compatible_prefix);
        case VersionOperator::glob:
            return glob_match(node.pattern, lower(version.text()));
        case VersionOperator::regex:
            return node.regex->matches(version.text());
        case VersionOperator::all_of:
            return std::ranges::all_of(node.children, [&](std::size_t c) { return node_matches(nodes, c, version); });
        case VersionOperator::any_of:
            return std::ranges::any_of(node.children, [&](std::size_t c) { return node_matches(nodes, c, version); });
    }
    return false;
}

}  // namespace

Result<VersionSpec> VersionSpec::parse(std::string_view text)
{
    const auto trimmed = trim(text);
    const auto invalid = [&](const Error& error) {
        return fail(ErrorCode::manifest, "invalid version spec '" + std::string(trimmed) + "': " + error.message);
    };
    if (trimmed.empty()) return invalid(Error{ErrorCode::manifest, "empty version spec"});
    auto nodes = TreeParser(trimmed).parse();
    if (!nodes) return invalid(nodes.error());
    VersionSpec spec;
    spec.m_text = std::string(trimmed);
    spec.m_nodes = std::make_shared<const std::vector<Node>>(std::move(*nodes));
    return spec;
}

bool VersionSpec::matches(const VersionOrder& version) const
{
    return node_matches(*m_nodes, m_nodes->size() - 1, version);
}

bool VersionSpec::is_any() const
{
    return m_nodes->back().op == VersionOperator::any;
}

}  // namespace gapbundle::sources::conda
