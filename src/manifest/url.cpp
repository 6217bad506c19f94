#include "url.hpp"

#include <gapbundle/util/text.hpp>

#include <cctype>

namespace gapbundle::manifest::url {

namespace {

bool is_scheme_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

// Offset where the authority starts, or npos when there is no "://".
std::size_t authority_start(std::string_view text)
{
    const auto sep = text.find("://");
    return sep == std::string_view::npos ? sep : sep + 3;
}

}  // namespace

std::optional<std::string> scheme(std::string_view text)
{
    const auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    if (std::isalpha(static_cast<unsigned char>(text.front())) == 0) return std::nullopt;
    std::string out;
    for (char c : text.substr(0, sep)) {
        if (!is_scheme_char(c)) return std::nullopt;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view authority(std::string_view text)
{
    const auto start = authority_start(text);
    if (start == std::string_view::npos) return {};
    const auto end = text.find_first_of("/?#", start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

bool has_credentials(std::string_view text)
{
    return authority(text).find('@') != std::string_view::npos;
}

std::string strip_credentials(std::string_view text)
{
    const auto host = authority(text);
    const auto at = host.rfind('@');
    if (at == std::string_view::npos) return std::string(text);
    const auto start = authority_start(text);
    std::string out(text.substr(0, start));
    out += text.substr(start + at + 1);
    return out;
}

std::string_view path(std::string_view text)
{
    const auto start = authority_start(text);
    if (start == std::string_view::npos) return {};
    const auto begin = text.find_first_of("/?#", start);
    if (begin == std::string_view::npos || text[begin] != '/') return {};
    const auto end = text.find_first_of("?#", begin);
    return text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = text::hex_value(text[i + 1]);
            const int lo = text::hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string file_name(std::string_view text)
{
    const auto p = path(text);
    const auto slash = p.rfind('/');
    return percent_decode(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

}  // namespace gapbundle::manifest::url
