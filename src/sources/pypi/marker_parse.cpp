#include "marker_parse.hpp"

#include <gapbundle/sources/pypi/requirement.hpp>

#include "pep_text.hpp"
#include "specifier_parse.hpp"

#include <array>
#include <utility>

namespace gapbundle::sources::pypi {
namespace {

struct VariableSpelling {
    std::string_view text;
    MarkerVariable variable;
};

// PEP 508's names plus the dotted and legacy spellings packaging still accepts.
constexpr std::array k_variables{
    VariableSpelling{.text = "python_version", .variable = MarkerVariable::python_version},
    VariableSpelling{.text = "python_full_version", .variable = MarkerVariable::python_full_version},
    VariableSpelling{.text = "implementation_name", .variable = MarkerVariable::implementation_name},
    VariableSpelling{.text = "implementation_version", .variable = MarkerVariable::implementation_version},
    VariableSpelling{.text = "platform_python_implementation",
                     .variable = MarkerVariable::platform_python_implementation},
    VariableSpelling{.text = "platform.python_implementation",
                     .variable = MarkerVariable::platform_python_implementation},
    VariableSpelling{.text = "python_implementation", .variable = MarkerVariable::platform_python_implementation},
    VariableSpelling{.text = "platform_machine", .variable = MarkerVariable::platform_machine},
    VariableSpelling{.text = "platform.machine", .variable = MarkerVariable::platform_machine},
    VariableSpelling{.text = "platform_system", .variable = MarkerVariable::platform_system},
    VariableSpelling{.text = "platform_release", .variable = MarkerVariable::platform_release},
    VariableSpelling{.text = "platform_version", .variable = MarkerVariable::platform_version},
    VariableSpelling{.text = "platform.version", .variable = MarkerVariable::platform_version},
    VariableSpelling{.text = "sys_platform", .variable = MarkerVariable::sys_platform},
    VariableSpelling{.text = "sys.platform", .variable = MarkerVariable::sys_platform},
    VariableSpelling{.text = "os_name", .variable = MarkerVariable::os_name},
    VariableSpelling{.text = "os.name", .variable = MarkerVariable::os_name},
    VariableSpelling{.text = "extra", .variable = MarkerVariable::extra},
};

using Operand = std::variant<MarkerVariable, std::string>;

class MarkerParser {
public:
    MarkerParser(std::string_view text, std::size_t pos) : m_text(text), m_pos(pos) {}

    std::expected<Marker, SyntaxError> parse()
    {
        auto root = any_of();
        if (!root) return std::unexpected(root.error());
        skip_space();
        if (m_pos < m_text.size()) return error("expected 'and', 'or' or the end of the marker");
        return Marker(std::move(*root));
    }

private:
    using NodeResult = std::expected<MarkerNode, SyntaxError>;

    std::unexpected<SyntaxError> error(std::string message, std::optional<std::size_t> at = std::nullopt) const
    {
        return std::unexpected(SyntaxError{.message = std::move(message), .position = at.value_or(m_pos)});
    }
    void skip_space()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) ++m_pos;
    }
    [[nodiscard]] bool word_ends_at(std::size_t end) const
    {
        return end >= m_text.size() || !(pep_text::is_alnum(m_text[end]) || m_text[end] == '_' || m_text[end] == '.');
    }
    // A keyword ("and", "or", "in", "not") standing as a whole word.
    bool take_keyword(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word || !word_ends_at(m_pos + word.size())) return false;
        m_pos += word.size();
        return true;
    }

    NodeResult group(MarkerNode::Kind kind, std::string_view keyword, NodeResult (MarkerParser::*part)())
    {
        auto first = (this->*part)();
        if (!first) return first;
        MarkerNode node{.kind = kind, .comparison = {}, .children = {}};
        node.children.push_back(std::move(*first));
        while (true) {
            skip_space();
            if (!take_keyword(keyword)) break;
            auto next = (this->*part)();
            if (!next) return next;
            node.children.push_back(std::move(*next));
        }
        if (node.children.size() == 1) return std::move(node.children.front());
        return node;
    }
    NodeResult any_of() { return group(MarkerNode::Kind::any_of, "or", &MarkerParser::all_of); }
    NodeResult all_of() { return group(MarkerNode::Kind::all_of, "and", &MarkerParser::atom); }

    NodeResult atom()
    {
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == '(') {
            const auto open = m_pos++;
            auto inner = any_of();
            if (!inner) return inner;
            skip_space();
            if (m_pos >= m_text.size() || m_text[m_pos] != ')') {
                return error("expected ')' to close the '(' opened at column " + std::to_string(open + 1));
            }
            ++m_pos;
            return inner;
        }
        return comparison();
    }

    NodeResult comparison()
    {
        const auto start = m_pos;
        auto left = operand();
        if (!left) return std::unexpected(left.error());
        skip_space();
        MarkerComparison c{
            .left = std::move(*left), .kind = MarkerOperator::version, .op = SpecifierOperator::equal, .right = {}};
        if (take_keyword("in")) {
            c.kind = MarkerOperator::in;
        } else if (take_keyword("not")) {
            skip_space();
            if (!take_keyword("in")) return error("expected 'in' after 'not'");
            c.kind = MarkerOperator::not_in;
        } else if (auto op = read_operator(m_text, m_pos)) {
            c.op = *op;
        } else {
            return error("expected a marker operator (<, <=, ==, !=, >=, >, ~=, ===, in, not in)");
        }
        skip_space();
        auto right = operand();
        if (!right) return std::unexpected(right.error());
        c.right = std::move(*right);
        if (c.left.index() == c.right.index()) {
            return error("a marker must compare a variable with a quoted string", start);
        }
        normalise_extra_literal(c);
        return MarkerNode{.kind = MarkerNode::Kind::comparison, .comparison = std::move(c), .children = {}};
    }

    std::expected<Operand, SyntaxError> operand()
    {
        skip_space();
        if (m_pos >= m_text.size()) return error("expected a marker variable or a quoted string");
        const char quote = m_text[m_pos];
        if (quote == '"' || quote == '\'') {
            const auto close = m_text.find(quote, m_pos + 1);
            if (close == std::string_view::npos) return error("unterminated quoted string");
            std::string value(m_text.substr(m_pos + 1, close - m_pos - 1));
            m_pos = close + 1;
            return value;
        }
        auto end = m_pos;
        while (end < m_text.size() && (pep_text::is_alnum(m_text[end]) || m_text[end] == '_' || m_text[end] == '.'))
            ++end;
        const auto word = m_text.substr(m_pos, end - m_pos);
        for (const auto& spelling : k_variables) {
            if (spelling.text == word) {
                m_pos = end;
                return spelling.variable;
            }
        }
        if (word.empty()) return error("expected a marker variable or a quoted string");
        return error("unknown marker variable '" + std::string(word) + "'");
    }

    // PEP 685: "extra == 'Foo_Bar'" compares normalised names.
    static void normalise_extra_literal(MarkerComparison& c)
    {
        const auto is_extra = [](const Operand& o) {
            return std::holds_alternative<MarkerVariable>(o) && std::get<MarkerVariable>(o) == MarkerVariable::extra;
        };
        if (is_extra(c.left)) c.right = canonical_name(std::get<std::string>(c.right));
        if (is_extra(c.right)) c.left = canonical_name(std::get<std::string>(c.left));
    }

    std::string_view m_text;
    std::size_t m_pos;
};

}  // namespace

std::expected<Marker, SyntaxError> parse_marker_from(std::string_view text, std::size_t pos)
{
    return MarkerParser(text, pos).parse();
}

Result<Marker> Marker::parse(std::string_view text)
{
    auto marker = parse_marker_from(text, 0);
    if (!marker) {
        return fail(ErrorCode::manifest, "invalid marker '" + std::string(text) + "': " + marker.error().message +
                                             " (column " + std::to_string(marker.error().position + 1) + ")");
    }
    return std::move(*marker);
}

}  // namespace gapbundle::sources::pypi
