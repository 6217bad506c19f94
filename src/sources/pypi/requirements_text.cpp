#include "requirements_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace gapbundle::sources::pypi::requirements_text {
namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// The next line of `text` from `pos` (LF, CRLF and CR all end a line; a final line end does not
// start another line); moves `pos` past its end.
std::optional<std::string_view> next_line(std::string_view text, std::size_t& pos)
{
    if (pos >= text.size()) return std::nullopt;
    const auto end = std::min(text.find_first_of("\r\n", pos), text.size());
    const auto line = text.substr(pos, end - pos);
    pos = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    return line;
}

// pip's COMMENT_RE.match: '#' first, or after leading whitespace.
bool is_comment_line(std::string_view line)
{
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    return i < line.size() && line[i] == '#';
}

// pip's COMMENT_RE.sub: from the whitespace before the first '#' that starts the line or follows
// whitespace, to the end.
std::string_view strip_comment(std::string_view line)
{
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '#' || (i > 0 && !is_space(line[i - 1]))) continue;
        std::size_t cut = i;
        while (cut > 0 && is_space(line[cut - 1])) --cut;
        return line.substr(0, cut);
    }
    return line;
}

bool is_name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void expand_variables(LogicalLine& line, const EnvLookup& env)
{
    std::string out;
    const std::string& in = line.text;
    std::size_t i = 0;
    while (i < in.size()) {
        if (in.compare(i, 2, "${") == 0) {
            std::size_t end = i + 2;
            while (end < in.size() && is_name_char(in[end])) ++end;
            if (end > i + 2 && end < in.size() && in[end] == '}') {
                const std::string name = in.substr(i + 2, end - i - 2);
                if (auto value = env(name); value && !value->empty()) {
                    out += *value;
                    if (looks_secret(name)) line.secrets.push_back(*value);
                    i = end + 1;
                    continue;
                }
            }
        }
        out += in[i++];
    }
    line.text = std::move(out);
}

void emit(std::vector<LogicalLine>& out, std::size_t number, std::string_view joined, const EnvLookup& env)
{
    const auto text = trim(strip_comment(joined));
    if (text.empty()) return;
    LogicalLine line{.number = number, .text = std::string(text), .secrets = {}};
    expand_variables(line, env);
    out.push_back(std::move(line));
}

// Where the password (or token) of the URL whose "://" is at `pos` starts and ends.
std::optional<std::pair<std::size_t, std::size_t>> userinfo_secret(std::string_view text, std::size_t pos)
{
    const std::size_t start = pos + 3;
    std::size_t end = start;
    while (end < text.size() && !is_space(text[end]) &&
           std::string_view("/?#'\"").find(text[end]) == std::string_view::npos)
        ++end;
    const auto authority = text.substr(start, end - start);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    const auto colon = authority.substr(0, at).find(':');
    const std::size_t secret_start = colon == std::string_view::npos ? start : start + colon + 1;
    return std::pair{secret_start, start + at};
}

}  // namespace

std::vector<LogicalLine> logical_lines(std::string_view text, const EnvLookup& env)
{
    if (text.starts_with(k_utf8_bom)) text.remove_prefix(k_utf8_bom.size());
    std::vector<LogicalLine> out;
    std::optional<std::size_t> primary;  // set while joining continued lines
    std::string joined;
    std::size_t pos = 0;
    std::size_t number = 0;
    while (auto next = next_line(text, pos)) {
        ++number;
        std::string_view line = *next;
        const bool comment = is_comment_line(line);
        if (!line.ends_with('\\') || comment) {
            // A comment line ends the line being continued and adds nothing to it.
            if (primary) {
                if (!comment) joined += line;
                emit(out, *primary, joined, env);
                primary.reset();
                joined.clear();
            } else if (!comment) {
                emit(out, number, line, env);
            }
            continue;
        }
        if (!primary) primary = number;
        while (line.ends_with('\\')) line.remove_suffix(1);
        joined += line;
    }
    if (primary) emit(out, *primary, joined, env);
    return out;
}

std::optional<std::vector<std::string>> split_options(std::string_view text)
{
    std::vector<std::string> tokens;
    std::string token;
    bool in_token = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_space(c)) {
            if (in_token) tokens.push_back(std::exchange(token, {}));
            in_token = false;
            continue;
        }
        in_token = true;
        if (c == '\\') {
            if (++i == text.size()) return std::nullopt;
            token += text[i];
        } else if (c == '\'') {
            const auto close = text.find('\'', i + 1);
            if (close == std::string_view::npos) return std::nullopt;
            token += text.substr(i + 1, close - i - 1);
            i = close;
        } else if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\' && i + 1 < text.size() &&
                    std::string_view("\\\"$`").find(text[i + 1]) != std::string_view::npos)
                    ++i;
                token += text[i];
            }
            if (i == text.size()) return std::nullopt;
        } else {
            token += c;
        }
    }
    if (in_token) tokens.push_back(std::move(token));
    return tokens;
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets)
{
    std::string out;
    std::size_t done = 0;
    for (auto pos = text.find("://"); pos != std::string_view::npos; pos = text.find("://", pos + 3)) {
        const auto secret = userinfo_secret(text, pos);
        if (!secret) continue;
        out += text.substr(done, secret->first - done);
        out += "***";
        done = secret->second;
    }
    out += text.substr(done);
    for (const auto& value : secrets) {
        if (value.empty()) continue;
        for (auto pos = out.find(value); pos != std::string::npos; pos = out.find(value, pos + 3))
            out.replace(pos, value.size(), "***");
    }
    return out;
}

bool looks_secret(std::string_view name)
{
    static constexpr std::array<std::string_view, 7> k_words{"TOKEN", "SECRET", "PASS", "PWD", "KEY", "AUTH", "CRED"};
    for (const auto word : k_words)
        if (name.find(word) != std::string_view::npos) return true;
    return false;
}

}  // namespace gapbundle::sources::pypi::requirements_text
