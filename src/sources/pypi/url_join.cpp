#include "url_join.hpp"

#include <gapbundle/util/text.hpp>

#include <cctype>
#include <optional>

namespace gapbundle::sources::pypi {
namespace {

// The five components of RFC 3986 appendix B; an absent component differs from an empty one.
struct UrlParts {
    std::optional<std::string_view> scheme;
    std::optional<std::string_view> authority;
    std::string_view path;
    std::optional<std::string_view> query;
    std::optional<std::string_view> fragment;
};

bool is_scheme(std::string_view s)
{
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (const char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
}

UrlParts split_url(std::string_view url)
{
    UrlParts parts;
    if (const auto hash = url.find('#'); hash != std::string_view::npos) {
        parts.fragment = url.substr(hash + 1);
        url = url.substr(0, hash);
    }
    if (const auto question = url.find('?'); question != std::string_view::npos) {
        parts.query = url.substr(question + 1);
        url = url.substr(0, question);
    }
    if (const auto colon = url.find(':'); colon != std::string_view::npos) {
        const auto candidate = url.substr(0, colon);
        if (candidate.find('/') == std::string_view::npos && is_scheme(candidate)) {
            parts.scheme = candidate;
            url = url.substr(colon + 1);
        }
    }
    if (url.starts_with("//")) {
        const auto end = url.find('/', 2);
        parts.authority = url.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
        url = end == std::string_view::npos ? std::string_view{} : url.substr(end);
    }
    parts.path = url;
    return parts;
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view input)
{
    std::string output;
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./")) {
            input.remove_prefix(2);
        } else if (input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../") || input == "/..") {
            input = input.size() == 3 ? std::string_view{"/"} : input.substr(3);
            const auto last = output.rfind('/');
            output.erase(last == std::string::npos ? 0 : last);
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            const auto next = input.find('/', input.front() == '/' ? 1 : 0);
            output += input.substr(0, next);
            input = next == std::string_view::npos ? std::string_view{} : input.substr(next);
        }
    }
    return output;
}

// RFC 3986 section 5.2.3.
std::string merge_paths(const UrlParts& base, std::string_view reference_path)
{
    if (base.authority && base.path.empty()) return "/" + std::string(reference_path);
    const auto last = base.path.rfind('/');
    if (last == std::string_view::npos) return std::string(reference_path);
    return std::string(base.path.substr(0, last + 1)) + std::string(reference_path);
}

std::string compose(std::string_view scheme, std::optional<std::string_view> authority, std::string_view path,
                    std::optional<std::string_view> query, std::optional<std::string_view> fragment)
{
    std::string url;
    if (!scheme.empty()) url.append(scheme).append(":");
    if (authority) url.append("//").append(*authority);
    url.append(path);
    if (query) url.append("?").append(*query);
    if (fragment) url.append("#").append(*fragment);
    return url;
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view reference)
{
    const UrlParts r = split_url(reference);
    if (r.scheme) return compose(*r.scheme, r.authority, remove_dot_segments(r.path), r.query, r.fragment);

    const UrlParts b = split_url(base);
    const std::string_view scheme = b.scheme.value_or("");
    if (r.authority) return compose(scheme, r.authority, remove_dot_segments(r.path), r.query, r.fragment);
    if (r.path.empty()) return compose(scheme, b.authority, b.path, r.query ? r.query : b.query, r.fragment);
    if (r.path.front() == '/') return compose(scheme, b.authority, remove_dot_segments(r.path), r.query, r.fragment);
    return compose(scheme, b.authority, remove_dot_segments(merge_paths(b, r.path)), r.query, r.fragment);
}

std::string_view strip_fragment(std::string_view url)
{
    return url.substr(0, url.find('#'));
}

std::string last_path_segment(std::string_view url)
{
    const UrlParts parts = split_url(url);
    const auto slash = parts.path.rfind('/');
    return percent_decode(slash == std::string_view::npos ? parts.path : parts.path.substr(slash + 1));
}

std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && text::hex_value(text[i + 1]) >= 0 && text::hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(text::hex_value(text[i + 1]) * 16 + text::hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace gapbundle::sources::pypi
