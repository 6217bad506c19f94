#include <gapbundle/sources/helm/semver.hpp>

#include <charconv>
#include <optional>

namespace gapbundle::sources::helm {

namespace {

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_identifier_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

std::optional<std::uint64_t> number(std::string_view digits)
{
    std::uint64_t value = 0;
    if (digits.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

// Dot-separated identifiers of [0-9A-Za-z-]; in a pre-release, numeric ones without leading zeros.
bool valid_identifiers(std::string_view text, bool numeric_rules)
{
    if (text.empty()) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto dot = text.find('.', start);
        const auto part = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty()) return false;
        for (const char c : part)
            if (!is_identifier_char(c)) return false;
        const bool numeric = part.find_first_not_of("0123456789") == std::string_view::npos;
        if (numeric_rules && numeric && part.size() > 1 && part.front() == '0') return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return true;
}

int compare_identifier(std::string_view a, std::string_view b)
{
    if (a == b) return 0;
    const auto a_number = number(a);
    const auto b_number = number(b);
    if (a_number && b_number) return *a_number < *b_number ? -1 : 1;
    if (a_number) return -1;  // numbers before words
    if (b_number) return 1;
    return a < b ? -1 : 1;
}

int compare_prerelease(std::string_view a, std::string_view b)
{
    if (a == b) return 0;
    if (a.empty()) return 1;  // a release after its pre-releases
    if (b.empty()) return -1;
    for (;;) {
        const auto a_dot = a.find('.');
        const auto b_dot = b.find('.');
        if (const int d = compare_identifier(a.substr(0, a_dot), b.substr(0, b_dot)); d != 0) return d;
        if (a_dot == std::string_view::npos || b_dot == std::string_view::npos) {
            if (a_dot == b_dot) return 0;
            return a_dot == std::string_view::npos ? -1 : 1;  // fewer identifiers first
        }
        a.remove_prefix(a_dot + 1);
        b.remove_prefix(b_dot + 1);
    }
}

// The parts of "[v]A[.B[.C]][-PRE][+BUILD]" where A, B, C are digits or, when `wildcards`, one of
// x X *. Parts not given are empty.
struct VersionParts {
    std::string_view numbers[3];
    int count = 0;
    std::string_view prerelease;
    std::string_view build;
};

std::optional<VersionParts> split_version(std::string_view text, bool allow_v, bool wildcards)
{
    VersionParts parts;
    if (allow_v && !text.empty() && text.front() == 'v') text.remove_prefix(1);
    const auto plus = text.find('+');
    if (plus != std::string_view::npos) {
        parts.build = text.substr(plus + 1);
        if (!valid_identifiers(parts.build, false)) return std::nullopt;
        text = text.substr(0, plus);
    }
    const auto dash = text.find('-');
    if (dash != std::string_view::npos) {
        parts.prerelease = text.substr(dash + 1);
        if (!valid_identifiers(parts.prerelease, true)) return std::nullopt;
        text = text.substr(0, dash);
    }
    while (parts.count < 3) {
        const auto dot = text.find('.');
        const auto part = text.substr(0, dot);
        const bool wild = wildcards && (part == "x" || part == "X" || part == "*");
        if (part.empty() || (!wild && part.find_first_not_of("0123456789") != std::string_view::npos)) return std::nullopt;
        parts.numbers[parts.count++] = part;
        if (dot == std::string_view::npos) return parts;
        text.remove_prefix(dot + 1);
    }
    return std::nullopt;  // a fourth part
}

Result<SemVer> invalid(std::string_view text)
{
    return fail(ErrorCode::manifest, "invalid semantic version '" + std::string(text) + "'");
}

bool is_wild(std::string_view part)
{
    return part.empty() || part == "x" || part == "X" || part == "*";
}

}  // namespace

Result<SemVer> SemVer::parse(std::string_view text)
{
    const auto parts = split_version(text, true, false);
    if (!parts) return invalid(text);
    SemVer version;
    std::uint64_t* fields[3] = {&version.m_major, &version.m_minor, &version.m_patch};
    for (int i = 0; i < parts->count; ++i) {
        const auto value = number(parts->numbers[i]);
        if (!value) return invalid(text);
        *fields[i] = *value;
    }
    version.m_prerelease = std::string(parts->prerelease);
    version.m_build = std::string(parts->build);
    version.m_text = std::string(text);
    return version;
}

Result<SemVer> SemVer::parse_strict(std::string_view text)
{
    const auto parts = split_version(text, false, false);
    if (!parts || parts->count != 3) return invalid(text);
    for (int i = 0; i < 3; ++i)
        if (parts->numbers[i].size() > 1 && parts->numbers[i].front() == '0') return invalid(text);
    return parse(text);
}

int SemVer::compare(const SemVer& other) const
{
    for (const auto& [a, b] : {std::pair{m_major, other.m_major}, std::pair{m_minor, other.m_minor},
                              std::pair{m_patch, other.m_patch}})
        if (a != b) return a < b ? -1 : 1;
    return compare_prerelease(m_prerelease, other.m_prerelease);
}

namespace {

using Comparison = SemVerConstraint::Comparison;
using Op = SemVerConstraint::Op;

// Longest first, so that ">=" is not read as ">" then "=".
constexpr std::pair<std::string_view, Op> k_operators[] = {
    {"!=", Op::not_equal}, {">=", Op::greater_equal}, {"=>", Op::greater_equal}, {"<=", Op::less_equal},
    {"=<", Op::less_equal}, {"~>", Op::tilde},        {">", Op::greater},        {"<", Op::less},
    {"=", Op::equal},       {"~", Op::tilde},         {"^", Op::caret}};

std::optional<Comparison> comparison_of(Op op, std::string_view text)
{
    const auto parts = split_version(text, true, true);
    if (!parts) return std::nullopt;
    Comparison comparison;
    comparison.op = op;
    std::string normal;
    if (is_wild(parts->numbers[0])) {
        normal = "0.0.0";
        comparison.wild = true;
    } else if (parts->count < 2 || is_wild(parts->numbers[1])) {
        normal = std::string(parts->numbers[0]) + ".0.0";
        comparison.wild = comparison.minor_wild = true;
    } else if (parts->count < 3 || is_wild(parts->numbers[2])) {
        normal = std::string(parts->numbers[0]) + "." + std::string(parts->numbers[1]) + ".0";
        comparison.wild = comparison.patch_wild = true;
    } else {
        normal = std::string(parts->numbers[0]) + "." + std::string(parts->numbers[1]) + "." +
                 std::string(parts->numbers[2]);
    }
    if (!parts->prerelease.empty()) normal += "-" + std::string(parts->prerelease);
    auto version = SemVer::parse(normal);
    if (!version) return std::nullopt;
    comparison.version = std::move(*version);
    return comparison;
}

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

bool is_version_char(char c)
{
    return is_identifier_char(c) || c == '.' || c == '+' || c == '*';
}

// Reads the comparisons of one alternative ("||" already split off).
class AlternativeReader {
public:
    explicit AlternativeReader(std::string_view text) : m_text(text) {}

    Result<std::vector<Comparison>> read()
    {
        std::vector<Comparison> out;
        skip_spaces();
        if (at_end()) return reason("an empty alternative");
        while (!at_end()) {
            if (!out.empty()) {
                const bool comma = m_text[m_pos] == ',';
                if (comma) ++m_pos;
                skip_spaces();
                if (at_end()) return reason(comma ? "a ',' with nothing after it" : "nothing after the last space");
            }
            const Op op = read_operator();
            const bool has_operator = m_had_operator;
            skip_spaces();
            const auto first = read_version();
            if (first.empty()) return reason("a comparison without a version");
            skip_spaces();
            if (!at_end() && m_text[m_pos] == '-' && m_pos + 1 < m_text.size() && is_space(m_text[m_pos + 1])) {
                if (has_operator) return reason("an operator before a range 'A - B'");
                ++m_pos;
                skip_spaces();
                const auto last = read_version();
                auto low = comparison_of(Op::greater_equal, first);
                auto high = comparison_of(Op::less_equal, last);
                if (!low || !high) return reason("a range whose ends are not versions");
                out.push_back(std::move(*low));
                out.push_back(std::move(*high));
                skip_spaces();
                continue;
            }
            auto comparison = comparison_of(op, first);
            if (!comparison) return reason("'" + std::string(first) + "' is not a version");
            out.push_back(std::move(*comparison));
        }
        return out;
    }

private:
    Op read_operator()
    {
        m_had_operator = false;
        for (const auto& [text, op] : k_operators)
            if (m_text.substr(m_pos).starts_with(text)) {
                m_pos += text.size();
                m_had_operator = true;
                return op;
            }
        return Op::equal;
    }

    std::string_view read_version()
    {
        const auto start = m_pos;
        while (!at_end() && is_version_char(m_text[m_pos])) {
            // A '-' followed by a space ends the version: it is a range's dash.
            if (m_text[m_pos] == '-' && (m_pos + 1 == m_text.size() || is_space(m_text[m_pos + 1]))) break;
            ++m_pos;
        }
        return m_text.substr(start, m_pos - start);
    }

    void skip_spaces()
    {
        while (!at_end() && is_space(m_text[m_pos])) ++m_pos;
    }
    [[nodiscard]] bool at_end() const { return m_pos >= m_text.size(); }

    std::unexpected<Error> reason(const std::string& why) const
    {
        return std::unexpected(Error{ErrorCode::manifest, why});
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_had_operator = false;
};

bool tilde(const SemVer& v, const Comparison& c)
{
    const auto& con = c.version;
    if (v < con) return false;
    if (con.major() == 0 && con.minor() == 0 && con.patch() == 0 && !c.minor_wild && !c.patch_wild) return true;
    if (v.major() != con.major()) return false;
    return v.minor() == con.minor() || c.minor_wild;
}

bool caret(const SemVer& v, const Comparison& c)
{
    const auto& con = c.version;
    if (v < con) return false;
    if (con.major() > 0 || c.minor_wild) return v.major() == con.major();
    if (v.major() > 0) return false;
    if (con.minor() > 0 || c.patch_wild) return v.minor() == con.minor();
    if (v.minor() > 0) return false;
    return v.patch() == con.patch();
}

bool holds(const SemVer& v, const Comparison& c)
{
    const auto& con = c.version;
    switch (c.op) {
        case Op::equal:
            return c.wild ? tilde(v, c) : v == con;
        case Op::not_equal:
            if (c.wild) {
                if (v.major() != con.major()) return true;
                if (c.minor_wild) return false;
                if (v.minor() != con.minor()) return true;
                if (c.patch_wild)  // the same major.minor: only another pre-release differs
                    return (!v.prerelease().empty() || !con.prerelease().empty()) && v.prerelease() != con.prerelease();
            }
            return v != con;
        case Op::greater:
            if (!c.wild) return v > con;
            if (v.major() != con.major()) return v.major() > con.major();
            if (c.minor_wild) return false;
            if (c.patch_wild) return v.minor() > con.minor();
            return v > con;
        case Op::less:
            return v < con;
        case Op::greater_equal:
            return v >= con;
        case Op::less_equal:
            if (!c.wild) return v <= con;
            if (v.major() > con.major()) return false;
            return !(v.major() == con.major() && v.minor() > con.minor() && !c.minor_wild);
        case Op::tilde:
            return tilde(v, c);
        case Op::caret:
            return caret(v, c);
    }
    return false;
}

}  // namespace

Result<SemVerConstraint> SemVerConstraint::parse(std::string_view text)
{
    SemVerConstraint constraint;
    constraint.m_text = std::string(text);
    std::size_t start = 0;
    for (;;) {
        const auto bars = text.find("||", start);
        const auto piece = text.substr(start, bars == std::string_view::npos ? std::string_view::npos : bars - start);
        auto comparisons = AlternativeReader(piece).read();
        if (!comparisons)
            return fail(ErrorCode::manifest,
                        "invalid version constraint '" + std::string(text) + "': " + comparisons.error().message);
        constraint.m_alternatives.push_back(std::move(*comparisons));
        if (bars == std::string_view::npos) break;
        start = bars + 2;
    }
    return constraint;
}

bool SemVerConstraint::matches(const SemVer& version, bool include_prereleases) const
{
    for (const auto& alternative : m_alternatives) {
        bool prereleases = include_prereleases;
        for (const auto& comparison : alternative) prereleases = prereleases || !comparison.version.prerelease().empty();
        if (!version.prerelease().empty() && !prereleases) continue;
        bool all = true;
        for (const auto& comparison : alternative) all = all && holds(version, comparison);
        if (all) return true;
    }
    return false;
}

}  // namespace gapbundle::sources::helm
