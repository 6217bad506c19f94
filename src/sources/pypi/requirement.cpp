#include <gapbundle/sources/pypi/requirement.hpp>

#include "marker_parse.hpp"
#include "pep_text.hpp"
#include "specifier_parse.hpp"

#include <algorithm>
#include <utility>

namespace gapbundle::sources::pypi {
namespace {

bool is_name_char(char c)
{
    return pep_text::is_alnum(c) || c == '-' || c == '_' || c == '.';
}

class RequirementParser {
public:
    explicit RequirementParser(std::string_view text) : m_text(text) {}

    std::expected<Requirement, SyntaxError> parse()
    {
        Requirement out{.name = {}, .extras = {}, .specifier = {}, .url = std::nullopt, .marker = std::nullopt};
        skip_space();
        auto name = identifier("a package name");
        if (!name) return std::unexpected(name.error());
        out.name = std::move(*name);
        skip_space();
        if (peek() == '[') {
            if (auto extras = extra_names(); extras) {
                out.extras = std::move(*extras);
            } else {
                return std::unexpected(extras.error());
            }
            skip_space();
        }
        if (peek() == '@') return url_form(std::move(out));
        const auto specifier_start = m_pos;
        auto specifier = specifier_set();
        if (!specifier) return std::unexpected(specifier.error());
        out.specifier = std::move(*specifier);
        skip_space();
        if (at_end()) return out;
        if (peek() != ';') {
            return error(m_pos > specifier_start && !out.specifier.empty()
                             ? "expected ',' or ';' after the version specifier"
                             : "expected a version specifier (like >=1.0), '[', '@' or ';' after the name");
        }
        return with_marker(std::move(out));
    }

private:
    using Text = std::expected<std::string, SyntaxError>;

    [[nodiscard]] char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }
    void skip_space()
    {
        while (peek() == ' ' || peek() == '\t') ++m_pos;
    }
    std::unexpected<SyntaxError> error(std::string message, std::optional<std::size_t> at = std::nullopt) const
    {
        return std::unexpected(SyntaxError{.message = std::move(message), .position = at.value_or(m_pos)});
    }

    // A name or extra: letters, digits, '-', '_', '.', starting and ending with a letter or digit.
    Text identifier(std::string_view what)
    {
        if (!pep_text::is_alnum(peek())) return error("expected " + std::string(what));
        const auto start = m_pos;
        while (is_name_char(peek())) ++m_pos;
        if (!pep_text::is_alnum(m_text[m_pos - 1])) {
            return error(std::string(what).substr(2) + " must end with a letter or digit", m_pos - 1);
        }
        return std::string(m_text.substr(start, m_pos - start));
    }

    std::expected<std::vector<std::string>, SyntaxError> extra_names()
    {
        const auto open = m_pos++;
        std::vector<std::string> extras;
        skip_space();
        while (peek() != ']') {
            if (at_end()) return error("expected ']' to close the '[' opened at column " + std::to_string(open + 1));
            auto extra = identifier(extras.empty() ? "an extra name" : "an extra name after ','");
            if (!extra) return std::unexpected(extra.error());
            if (std::find(extras.begin(), extras.end(), *extra) == extras.end()) extras.push_back(std::move(*extra));
            skip_space();
            if (peek() == ',') {
                ++m_pos;
                skip_space();
                if (peek() == ']') return error("expected an extra name after ','");
            } else if (peek() != ']') {
                if (pep_text::is_alnum(peek())) return error("expected ',' between extra names");
                return error("expected ',' or ']' after the extra name");
            }
        }
        ++m_pos;
        return extras;
    }

    // Clauses separated by ',', optionally inside parentheses: "(>=1.0, <2)".
    std::expected<SpecifierSet, SyntaxError> specifier_set()
    {
        std::optional<std::size_t> open;
        if (peek() == '(') {
            open = m_pos++;
            skip_space();
        }
        std::vector<Specifier> clauses;
        while (auto op = read_operator(m_text, m_pos)) {
            skip_space();
            const auto version_start = m_pos;
            while (!at_end() && !pep_text::is_space(peek()) && peek() != ',' && peek() != ';' && peek() != ')') ++m_pos;
            auto clause = make_specifier(*op, m_text.substr(version_start, m_pos - version_start));
            if (!clause) return error(clause.error().message, version_start);
            clauses.push_back(std::move(*clause));
            skip_space();
            if (peek() != ',') break;
            ++m_pos;
            skip_space();
            auto lookahead = m_pos;
            if (!read_operator(m_text, lookahead)) return error("expected a version specifier after ','");
        }
        if (open) {
            skip_space();
            if (peek() != ')')
                return error("expected ')' to close the '(' opened at column " + std::to_string(*open + 1));
            ++m_pos;
        }
        return SpecifierSet(std::move(clauses));
    }

    std::expected<Requirement, SyntaxError> url_form(Requirement out)
    {
        ++m_pos;
        skip_space();
        const auto start = m_pos;
        while (!at_end() && peek() != ' ' && peek() != '\t') ++m_pos;
        if (m_pos == start) return error("expected a URL after '@'");
        out.url = std::string(m_text.substr(start, m_pos - start));
        skip_space();
        if (at_end()) return out;
        if (peek() != ';') return error("expected ';' or the end after the URL");
        return with_marker(std::move(out));
    }

    std::expected<Requirement, SyntaxError> with_marker(Requirement out)
    {
        auto marker = parse_marker_from(m_text, m_pos + 1);
        if (!marker) return std::unexpected(marker.error());
        out.marker = std::move(*marker);
        return out;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

}  // namespace

Result<Requirement> Requirement::parse(std::string_view text)
{
    auto requirement = RequirementParser(text).parse();
    if (!requirement) {
        return fail(ErrorCode::manifest, "invalid requirement '" + std::string(text) +
                                             "': " + requirement.error().message + " (column " +
                                             std::to_string(requirement.error().position + 1) + ")");
    }
    return std::move(*requirement);
}

std::string Requirement::to_string() const
{
    std::string out = name;
    if (!extras.empty()) {
        out += '[';
        for (std::size_t i = 0; i < extras.size(); ++i) out += (i ? "," : "") + extras[i];
        out += ']';
    }
    out += specifier.to_string();
    if (url) out += " @ " + *url + (marker ? " " : "");
    if (marker) out += "; " + marker->to_string();
    return out;
}

}  // namespace gapbundle::sources::pypi
