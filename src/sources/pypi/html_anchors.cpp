#include "html_anchors.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace gapbundle::sources::pypi {
namespace {

struct NamedEntity {
    std::string_view name;
    std::string_view text;
};

constexpr std::array<NamedEntity, 6> k_entities = {
    {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}}};

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

void append_utf8(std::string& out, std::uint32_t code)
{
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// Decodes the entity at text[0] == '&'; returns how many characters it took, 0 when it is none.
std::size_t decode_entity(std::string_view text, std::string& out)
{
    if (text.size() > 2 && text[1] == '#') {
        const bool hex = text[2] == 'x' || text[2] == 'X';
        const std::size_t digits_at = hex ? 3 : 2;
        std::uint32_t code = 0;
        const auto [end, ec] = std::from_chars(text.data() + digits_at, text.data() + text.size(), code, hex ? 16 : 10);
        if (end == text.data() + digits_at) return 0;
        if (ec != std::errc{}) code = 0xFFFD;
        append_utf8(out, code);
        const auto used = static_cast<std::size_t>(end - text.data());
        return used < text.size() && text[used] == ';' ? used + 1 : used;
    }
    for (const auto& entity : k_entities) {
        if (!text.substr(1).starts_with(entity.name)) continue;
        const std::size_t used = 1 + entity.name.size();
        if (used < text.size() && text[used] == ';') {
            out += entity.text;
            return used + 1;
        }
        // "&gt=3.6" reads as ">=3.6" (as pip's html.unescape has it), but "&ltx" stays: it is more likely a
        // query parameter than an entity.
        if (used < text.size() && std::isalnum(static_cast<unsigned char>(text[used]))) return 0;
        out += entity.text;
        return used;
    }
    return 0;
}

struct Cursor {
    std::string_view html;
    std::size_t pos = 0;

    [[nodiscard]] bool done() const { return pos >= html.size(); }
    [[nodiscard]] char peek() const { return html[pos]; }
    [[nodiscard]] std::string_view rest() const { return html.substr(pos); }
    void skip_spaces()
    {
        while (!done() && is_space(peek())) ++pos;
    }
    // Moves past the next `marker` (or to the end).
    void skip_past(std::string_view marker)
    {
        const auto found = html.find(marker, pos);
        pos = found == std::string_view::npos ? html.size() : found + marker.size();
    }
    void skip_past_nocase(std::string_view marker)
    {
        while (!done() && !starts_with_nocase(rest(), marker)) ++pos;
        skip_past(">");
    }
};

std::optional<std::string> read_attribute_value(Cursor& in)
{
    in.skip_spaces();
    if (in.done()) return std::string();
    const char quote = in.peek();
    if (quote == '"' || quote == '\'') {
        const auto end = in.html.find(quote, in.pos + 1);
        const auto stop = end == std::string_view::npos ? in.html.size() : end;
        auto value = decode_html_entities(in.html.substr(in.pos + 1, stop - in.pos - 1));
        in.pos = std::min(stop + 1, in.html.size());
        return value;
    }
    const auto start = in.pos;
    while (!in.done() && !is_space(in.peek()) && in.peek() != '>') ++in.pos;
    return decode_html_entities(in.html.substr(start, in.pos - start));
}

// Reads the attributes of a start tag and the closing '>'.
void read_attributes(Cursor& in, HtmlElement& element)
{
    while (true) {
        in.skip_spaces();
        if (in.done()) return;
        if (in.peek() == '>') {
            ++in.pos;
            return;
        }
        if (in.peek() == '/') {
            ++in.pos;
            continue;
        }
        const auto start = in.pos;
        while (!in.done() && !is_space(in.peek()) && in.peek() != '=' && in.peek() != '>' &&
               !(in.peek() == '/' && in.pos > start))
            ++in.pos;
        if (in.pos == start) {  // a stray '=': skip it
            ++in.pos;
            continue;
        }
        std::string name = lower(in.html.substr(start, in.pos - start));
        in.skip_spaces();
        std::optional<std::string> value;
        if (!in.done() && in.peek() == '=') {
            ++in.pos;
            value = read_attribute_value(in);
        }
        element.attributes.emplace_back(std::move(name), std::move(value));
    }
}

bool is_wanted(std::string_view name)
{
    return name == "a" || name == "base" || name == "meta";
}

class Scanner {
public:
    explicit Scanner(std::string_view html) : m_in{html, 0} {}

    std::vector<HtmlElement> run()
    {
        while (!m_in.done()) {
            const auto lt = m_in.html.find('<', m_in.pos);
            const auto stop = lt == std::string_view::npos ? m_in.html.size() : lt;
            if (m_anchor) m_anchor_text += m_in.html.substr(m_in.pos, stop - m_in.pos);
            m_in.pos = stop;
            if (!m_in.done()) read_markup();
        }
        close_anchor();
        return std::move(m_elements);
    }

private:
    void read_markup()
    {
        const auto markup = m_in.rest();
        if (markup.starts_with("<!--")) return m_in.skip_past("-->");
        if (markup.starts_with("<!") || markup.starts_with("<?")) return m_in.skip_past(">");
        const bool closing = markup.starts_with("</");
        std::size_t name_end = closing ? 2 : 1;
        while (name_end < markup.size() && std::isalnum(static_cast<unsigned char>(markup[name_end]))) ++name_end;
        const std::string name = lower(markup.substr(closing ? 2 : 1, name_end - (closing ? 2 : 1)));
        if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) {
            if (m_anchor) m_anchor_text += '<';  // a lone '<' is text
            ++m_in.pos;
            return;
        }
        m_in.pos += name_end;
        if (closing) {
            m_in.skip_past(">");
            if (name == "a") close_anchor();
            return;
        }
        HtmlElement element{.name = name, .attributes = {}, .text = {}};
        read_attributes(m_in, element);
        if (name == "script" || name == "style") return m_in.skip_past_nocase("</" + name);
        if (name == "a") close_anchor();
        if (!is_wanted(name)) return;
        m_elements.push_back(std::move(element));
        if (name == "a") m_anchor = m_elements.size() - 1;
    }

    void close_anchor()
    {
        if (!m_anchor) return;
        m_elements[*m_anchor].text = std::string(text::trim(decode_html_entities(m_anchor_text)));
        m_anchor.reset();
        m_anchor_text.clear();
    }

    Cursor m_in;
    std::vector<HtmlElement> m_elements;
    std::optional<std::size_t> m_anchor;
    std::string m_anchor_text;
};

}  // namespace

bool HtmlElement::has(std::string_view attribute) const
{
    return std::ranges::any_of(attributes, [&](const auto& entry) { return entry.first == attribute; });
}

std::optional<std::string> HtmlElement::value(std::string_view attribute) const
{
    const auto found = std::ranges::find_if(attributes, [&](const auto& entry) { return entry.first == attribute; });
    if (found == attributes.end()) return std::nullopt;
    return found->second;
}

std::vector<HtmlElement> scan_html(std::string_view html)
{
    return Scanner(html).run();
}

std::string decode_html_entities(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            if (const auto used = decode_entity(text.substr(i), out); used > 0) {
                i += used;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace gapbundle::sources::pypi
