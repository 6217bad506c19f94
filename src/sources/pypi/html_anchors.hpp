#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::sources::pypi {

// One start tag from a page, as a browser would read it: names lowercased, values with entities decoded.
struct HtmlElement {
    std::string name;
    std::vector<std::pair<std::string, std::optional<std::string>>> attributes;  // a bare attribute has no value
    std::string text;  // for <a>: the text inside, tags dropped, entities decoded, trimmed

    [[nodiscard]] bool has(std::string_view attribute) const;
    // The value; nullopt when absent or bare.
    [[nodiscard]] std::optional<std::string> value(std::string_view attribute) const;
};

// The <a>, <base> and <meta> elements of an HTML page in document order. Tolerant like a browser:
// comments, doctype, scripts and unknown tags are skipped, quotes may be single, double or missing,
// an <a> left open ends at the next <a> or at the end of the page.
std::vector<HtmlElement> scan_html(std::string_view html);

// "&lt;&amp;&#62;&#x3E;&gt" -> "<&>>>"; an unknown entity stays as written.
std::string decode_html_entities(std::string_view text);

}  // namespace gapbundle::sources::pypi
