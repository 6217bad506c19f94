#include <gapbundle/sources/conda/match_spec.hpp>

#include "conda_text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using namespace conda_text;

constexpr std::array<std::string_view, 19> k_known_subdirs{
    "noarch",      "linux-64",      "linux-32",    "linux-aarch64", "linux-armv6l", "linux-armv7l",
    "linux-ppc64", "linux-ppc64le", "linux-s390x", "linux-riscv64", "osx-64",       "osx-arm64",
    "win-32",      "win-64",        "win-arm64",   "freebsd-64",    "zos-z",        "emscripten-wasm32",
    "wasi-wasm32"};

bool is_name_char(char c)
{
    return is_digit(c) || is_lower(c) || c == '-' || c == '_' || c == '.' || c == '*';
}

// "conda-forge/linux-64" -> {"conda-forge", "linux-64"}; a last segment that is no known subdir
// stays in the channel.
std::pair<std::string, std::string> split_channel(std::string_view channel)
{
    const auto slash = channel.rfind('/');
    if (slash != std::string_view::npos &&
        std::ranges::find(k_known_subdirs, channel.substr(slash + 1)) != k_known_subdirs.end()) {
        return {std::string(channel.substr(0, slash)), std::string(channel.substr(slash + 1))};
    }
    return {std::string(channel), {}};
}

// Collapses whitespace and drops it around ',' and '|' and after operators, as conda does when it
// strips spaces out of the version: ">=1.0 , < 2.0 py34_0" -> ">=1.0,<2.0 py34_0".
std::string squeeze_spaces(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_space(text[i])) {
            out += text[i];
            continue;
        }
        while (i + 1 < text.size() && is_space(text[i + 1])) ++i;
        const char before = out.empty() ? ',' : out.back();
        const char after = i + 1 < text.size() ? text[i + 1] : ',';
        if (std::string_view(",|=<>!~(").find(before) != std::string_view::npos) continue;
        if (std::string_view(",|)").find(after) != std::string_view::npos) continue;
        out += ' ';
    }
    return out;
}

// The '[' opening the brackets, skipping a regex field ("numpy * ^py3[0-9]+$" has none).
std::size_t bracket_start(std::string_view text)
{
    std::size_t from = 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '^' && (is_space(text[i - 1]) || text[i - 1] == '=')) {
            const auto end = text.find('$', i);
            if (end == std::string_view::npos) break;
            from = end;
            i = end;
        }
    }
    return text.find('[', from);
}

bool is_build_text(std::string_view text)
{
    if (text.size() > 1 && text.front() == '^' && text.back() == '$') {  // a regex build
        return std::ranges::none_of(text, is_space);
    }
    return !text.empty() && std::ranges::none_of(text, [](char c) {
        return std::string_view("-=,|<>~").find(c) != std::string_view::npos || is_space(c);
    });
}

}  // namespace

class MatchSpecParser {
public:
    explicit MatchSpecParser(std::string_view text) : m_text(trim(text)) {}

    Result<MatchSpec> parse()
    {
        m_spec.m_text = std::string(m_text);
        if (m_text.empty()) return invalid("empty spec");
        std::string_view rest = m_text;
        if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = trim(rest.substr(0, hash));
        if (rest.find(" if ") != std::string_view::npos)
            return invalid("conditional dependencies (' if ') are not supported");

        std::map<std::string, std::string, std::less<>> brackets;
        if (const auto open = bracket_start(rest); open != std::string_view::npos) {
            if (rest.back() != ']') return invalid("text after the ']' of the brackets, or no closing ']'");
            if (auto ok = read_brackets(rest.substr(open + 1, rest.size() - open - 2), brackets); !ok)
                return std::unexpected(ok.error());
            rest = trim(rest.substr(0, open));
        }
        if (auto ok = read_channel(rest); !ok) return std::unexpected(ok.error());
        if (auto ok = read_name_version_build(rest); !ok) return std::unexpected(ok.error());
        if (auto ok = apply_brackets(brackets); !ok) return std::unexpected(ok.error());
        return std::move(m_spec);
    }

private:
    std::unexpected<Error> invalid(std::string_view why) const
    {
        return fail(ErrorCode::manifest, "invalid match spec '" + std::string(m_text) + "': " + std::string(why));
    }

    // key=value, key='value, with commas', key="v", separated by ',' or spaces.
    Status read_brackets(std::string_view body, std::map<std::string, std::string, std::less<>>& out) const
    {
        std::size_t pos = 0;
        const auto skip = [&] {
            while (pos < body.size() && (is_space(body[pos]) || body[pos] == ',')) ++pos;
        };
        for (skip(); pos < body.size(); skip()) {
            const auto eq = body.find('=', pos);
            if (eq == std::string_view::npos)
                return invalid("in brackets: expected key=value at '" + std::string(body.substr(pos)) + "'");
            const auto key = lower(trim(body.substr(pos, eq - pos)));
            if (key.empty() ||
                !std::ranges::all_of(key, [](char c) { return is_lower(c) || is_digit(c) || c == '_' || c == '-'; })) {
                return invalid("in brackets: invalid key '" + key + "'");
            }
            pos = eq + 1;
            std::string value;
            if (pos < body.size() && (body[pos] == '\'' || body[pos] == '"')) {
                const auto close = body.find(body[pos], pos + 1);
                if (close == std::string_view::npos)
                    return invalid("in brackets: unterminated quote after '" + key + "='");
                value = std::string(body.substr(pos + 1, close - pos - 1));
                pos = close + 1;
            } else {
                const auto end = std::min(body.find(',', pos), body.find(' ', pos));
                value =
                    std::string(body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
                pos = end == std::string_view::npos ? body.size() : end;
            }
            if (trim(value).empty()) return invalid("in brackets: key '" + key + "' has no value");
            if (!out.emplace(key, std::string(trim(value))).second)
                return invalid("in brackets: key '" + key + "' given twice");
        }
        return {};
    }

    // conda's rsplit(':', 2): "channel::name", "channel/subdir::name", "url::name".
    Status read_channel(std::string_view& rest)
    {
        const auto last = rest.rfind(':');
        if (last == std::string_view::npos) return {};
        const auto second = last == 0 ? std::string_view::npos : rest.rfind(':', last - 1);
        if (second == std::string_view::npos) {
            return invalid("a single ':' (did you mean '" + std::string(rest.substr(0, last)) +
                           "::" + std::string(rest.substr(last + 1)) + "'?)");
        }
        if (second + 1 != last) return invalid("namespaces ('channel:namespace:name') are not supported");
        const auto channel = trim(rest.substr(0, second));
        if (channel.empty()) return invalid("empty channel before '::'");
        std::tie(m_spec.m_channel, m_spec.m_subdir) = split_channel(channel);
        rest = trim(rest.substr(last + 1));
        return {};
    }

    Status read_name_version_build(std::string_view rest)
    {
        const auto name_end = std::min(rest.find_first_of(" \t=<>!~"), rest.size());
        m_spec.m_name = lower(rest.substr(0, name_end));
        if (m_spec.m_name.empty()) return invalid("no package name");
        if (const auto bad = std::ranges::find_if(m_spec.m_name, [](char c) { return !is_name_char(c); });
            bad != m_spec.m_name.end()) {
            return invalid("invalid character '" + std::string(1, *bad) + "' in package name '" + m_spec.m_name + "'");
        }
        const auto tail = squeeze_spaces(trim(rest.substr(name_end)));
        if (tail.empty()) return {};
        auto [version, build] = split_version_build(tail);
        if (version.find(' ') != std::string::npos)
            return invalid("unexpected text after the build string in '" + tail + "'");
        if (version == "=" || version == "==") return invalid("operator '" + version + "' has no version");
        if (version.starts_with('=')) version = fuzzy_or_exact(version, !build.empty());
        auto parsed = VersionSpec::parse(version);
        if (!parsed) return invalid(parsed.error().message);
        m_spec.m_version = std::move(*parsed);
        if (!build.empty()) return set_build(build);
        return {};
    }

    // The first split (at a space or '=' not after an operator) whose remainder is a build
    // string: "1.2.3=0", "=1.2.3 0", ">=1.0,<2.0 py34_0", "* *".
    static std::pair<std::string, std::string> split_version_build(const std::string& text)
    {
        for (std::size_t i = 1; i + 1 < text.size(); ++i) {
            if (text[i] != ' ' && text[i] != '=') continue;
            if (std::string_view("=!|,<>~").find(text[i - 1]) != std::string_view::npos) continue;
            if (is_build_text(std::string_view(text).substr(i + 1))) {
                return {std::string(trim(std::string_view(text).substr(0, i))), text.substr(i + 1)};
            }
        }
        return {text, {}};
    }

    // conda's translation: "=1.2" alone is "1.2*"; "=1.2 b" and "=1.2=b" are exact; "==1.2" is "1.2".
    static std::string fuzzy_or_exact(const std::string& version, bool has_build)
    {
        const auto operand = version.substr(1);
        if (version.starts_with("==") && !has_build) return version.substr(2);
        if (operand.find_first_of("=,|") != std::string::npos) return version;
        if (!has_build && !operand.ends_with('*')) return operand + "*";
        return operand;
    }

    Status set_build(std::string_view text)
    {
        auto build = StringMatcher::parse(text);
        if (!build) return invalid("build: " + build.error().message);
        m_spec.m_build = std::move(*build);
        return {};
    }

    Status set_build_number(std::string_view text)
    {
        using Op = BuildNumberSpec::Op;
        constexpr std::array<std::pair<std::string_view, Op>, 7> ops{{{"==", Op::equal},
                                                                      {"!=", Op::not_equal},
                                                                      {"<=", Op::less_equal},
                                                                      {">=", Op::greater_equal},
                                                                      {"<", Op::less},
                                                                      {">", Op::greater},
                                                                      {"=", Op::equal}}};
        BuildNumberSpec spec{.op = Op::equal, .number = 0};
        for (const auto& [spelling, op] : ops) {
            if (text.starts_with(spelling)) {
                spec.op = op;
                text = trim(text.substr(spelling.size()));
                break;
            }
        }
        if (text.empty() || text.size() > 18 || !std::ranges::all_of(text, is_digit)) {
            return invalid("build_number: not a number '" + std::string(text) + "'");
        }
        spec.number = std::stoull(std::string(text));
        m_spec.m_build_number = spec;
        return {};
    }

    Status apply_brackets(const std::map<std::string, std::string, std::less<>>& brackets)
    {
        for (const auto& [key, value] : brackets) {
            if (key == "version") {
                auto parsed = VersionSpec::parse(value);
                if (!parsed) return invalid(parsed.error().message);
                m_spec.m_version = std::move(*parsed);
            } else if (key == "build") {
                if (auto ok = set_build(value); !ok) return ok;
            } else if (key == "build_number") {
                if (auto ok = set_build_number(value); !ok) return ok;
            } else if (key == "channel") {
                auto [channel, subdir] = split_channel(value);
                m_spec.m_channel = channel;
                if (!subdir.empty()) m_spec.m_subdir = subdir;
            } else if (key == "subdir") {
                m_spec.m_subdir = value;
            } else if (key == "md5") {
                m_spec.m_md5 = lower(value);
            } else if (key == "sha256") {
                m_spec.m_sha256 = lower(value);
            } else if (key == "fn") {
                m_spec.m_filename = value;
            } else {
                return invalid("in brackets: unsupported key '" + key +
                               "' (supported: version, build, build_number, channel, subdir, md5, sha256, fn)");
            }
        }
        return {};
    }

    std::string_view m_text;
    MatchSpec m_spec;
};

Result<MatchSpec> MatchSpec::parse(std::string_view text)
{
    return MatchSpecParser(text).parse();
}

}  // namespace gapbundle::sources::conda
