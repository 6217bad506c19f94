#include <gapbundle/sources/pypi/version.hpp>

#include "pep_text.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <utility>

namespace gapbundle::sources::pypi {
namespace {

using namespace pep_text;

struct Label {
    std::string_view spelling;
    PreReleaseKind kind;
};

// Longer spellings first, so "alpha" is not read as "a" followed by junk.
constexpr std::array k_pre_labels{
    Label{.spelling = "alpha", .kind = PreReleaseKind::alpha},
    Label{.spelling = "a", .kind = PreReleaseKind::alpha},
    Label{.spelling = "beta", .kind = PreReleaseKind::beta},
    Label{.spelling = "b", .kind = PreReleaseKind::beta},
    Label{.spelling = "preview", .kind = PreReleaseKind::candidate},
    Label{.spelling = "pre", .kind = PreReleaseKind::candidate},
    Label{.spelling = "c", .kind = PreReleaseKind::candidate},
    Label{.spelling = "rc", .kind = PreReleaseKind::candidate},
};
constexpr std::array<std::string_view, 3> k_post_labels{"post", "rev", "r"};

bool is_separator(char c)
{
    return c == '.' || c == '-' || c == '_';
}

// Walks the lower-cased text the way packaging's VERSION_PATTERN does. Every optional part
// after the release starts with an optional separator, so reading greedily and rewinding
// when a part's label is absent accepts exactly what the regular expression accepts.
class VersionParser {
public:
    explicit VersionParser(std::string_view text) : m_text(text) {}

    bool parse(Version::Parts& out)
    {
        if (peek() == 'v') ++m_pos;
        auto first = number();
        if (!first) return false;
        if (peek() == '!') {
            ++m_pos;
            out.epoch = *first;
            first = number();
            if (!first) return false;
        }
        out.release.push_back(*first);
        while (peek() == '.' && is_digit(peek(1))) {
            ++m_pos;
            const auto part = number();
            if (!part) return false;
            out.release.push_back(*part);
        }
        if (!pre_release(out) || !post_release(out) || !dev_release(out) || !local_label(out)) return false;
        return m_pos == m_text.size() && !m_overflow;
    }

    [[nodiscard]] bool overflowed() const { return m_overflow; }

private:
    [[nodiscard]] char peek(std::size_t ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
    }
    std::optional<std::uint64_t> number() { return read_number(m_text, m_pos, m_overflow); }
    void skip_separator()
    {
        if (is_separator(peek())) ++m_pos;
    }
    bool take(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word) return false;
        m_pos += word.size();
        return true;
    }
    // After a label: an optional separator and an optional number, 0 when absent.
    std::uint64_t label_number()
    {
        skip_separator();
        return number().value_or(0);
    }

    bool pre_release(Version::Parts& out)
    {
        const auto start = m_pos;
        skip_separator();
        for (const auto& label : k_pre_labels) {
            if (take(label.spelling)) {
                out.pre = PreRelease{.kind = label.kind, .number = label_number()};
                return true;
            }
        }
        m_pos = start;
        return true;
    }

    bool post_release(Version::Parts& out)
    {
        if (peek() == '-' && is_digit(peek(1))) {  // "1.0-1" is 1.0.post1
            ++m_pos;
            out.post = number();
            return true;
        }
        const auto start = m_pos;
        skip_separator();
        for (auto label : k_post_labels) {
            if (take(label)) {
                out.post = label_number();
                return true;
            }
        }
        m_pos = start;
        return true;
    }

    bool dev_release(Version::Parts& out)
    {
        const auto start = m_pos;
        skip_separator();
        if (take("dev")) {
            out.dev = label_number();
            return true;
        }
        m_pos = start;
        return true;
    }

    bool local_label(Version::Parts& out)
    {
        if (peek() != '+') return true;
        ++m_pos;
        while (true) {
            const auto start = m_pos;
            while (is_alnum(peek())) ++m_pos;
            if (m_pos == start) return false;
            const auto segment = m_text.substr(start, m_pos - start);
            if (std::all_of(segment.begin(), segment.end(), is_digit)) {
                std::size_t at = 0;
                auto value = read_number(segment, at, m_overflow);
                if (!value) return false;
                out.local.emplace_back(*value);
            } else {
                out.local.emplace_back(std::string(segment));
            }
            if (!is_separator(peek())) return true;
            ++m_pos;
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_overflow = false;
};

std::span<const std::uint64_t> trimmed_release(const std::vector<std::uint64_t>& release)
{
    auto end = release.size();
    while (end > 0 && release[end - 1] == 0) --end;
    return {release.data(), end};
}

// packaging's comparison suffix: (pre rank, pre number, post rank, post number, dev rank, dev number).
// A bare .devN ranks below every a/b/rc; a version without a pre-release ranks above rc.
std::array<std::uint64_t, 6> suffix_key(const Version::Parts& p)
{
    std::uint64_t pre_rank = 4;
    std::uint64_t pre_number = 0;
    if (p.pre) {
        pre_rank = 1 + static_cast<std::uint64_t>(p.pre->kind);
        pre_number = p.pre->number;
    } else if (!p.post && p.dev) {
        pre_rank = 0;
    }
    return {pre_rank, pre_number, p.post ? 1U : 0U, p.post.value_or(0), p.dev ? 0U : 1U, p.dev.value_or(0)};
}

// Within a local label a string segment sorts below any number.
std::weak_ordering compare_segment(const LocalSegment& a, const LocalSegment& b)
{
    const auto* na = std::get_if<std::uint64_t>(&a);
    const auto* nb = std::get_if<std::uint64_t>(&b);
    if (na && nb) return *na <=> *nb;
    if (!na && !nb) return std::get<std::string>(a) <=> std::get<std::string>(b);
    return na ? std::weak_ordering::greater : std::weak_ordering::less;
}

void append_number(std::string& out, std::uint64_t n)
{
    out += std::to_string(n);
}

}  // namespace

Result<Version> Version::parse(std::string_view text)
{
    Parts parts{.epoch = 0, .release = {}, .pre = std::nullopt, .post = std::nullopt, .dev = std::nullopt, .local = {}};
    const std::string lowered = lower(trim(text));
    VersionParser parser(lowered);
    if (!parser.parse(parts)) {
        std::string message = "invalid version '" + std::string(text) + "'";
        if (parser.overflowed()) message += ": a number is too large";
        return fail(ErrorCode::manifest, std::move(message));
    }
    return Version(std::move(parts));
}

Version::Version(Parts parts) : m_parts(std::move(parts))
{
    if (m_parts.release.empty()) m_parts.release.push_back(0);
}

std::string Version::to_string() const
{
    std::string out = m_parts.epoch ? std::to_string(m_parts.epoch) + "!" : "";
    for (std::size_t i = 0; i < m_parts.release.size(); ++i) {
        if (i) out += '.';
        append_number(out, m_parts.release[i]);
    }
    if (m_parts.pre) {
        constexpr std::array<std::string_view, 3> spelling{"a", "b", "rc"};
        out += spelling[static_cast<std::size_t>(m_parts.pre->kind)];
        append_number(out, m_parts.pre->number);
    }
    if (m_parts.post) {
        out += ".post";
        append_number(out, *m_parts.post);
    }
    if (m_parts.dev) {
        out += ".dev";
        append_number(out, *m_parts.dev);
    }
    for (std::size_t i = 0; i < m_parts.local.size(); ++i) {
        out += i ? '.' : '+';
        if (const auto* n = std::get_if<std::uint64_t>(&m_parts.local[i])) {
            append_number(out, *n);
        } else {
            out += std::get<std::string>(m_parts.local[i]);
        }
    }
    return out;
}

Version Version::public_version() const
{
    Parts parts = m_parts;
    parts.local.clear();
    return Version(std::move(parts));
}

Version Version::base_version() const
{
    return Version(Parts{.epoch = m_parts.epoch,
                         .release = m_parts.release,
                         .pre = std::nullopt,
                         .post = std::nullopt,
                         .dev = std::nullopt,
                         .local = {}});
}

std::weak_ordering operator<=>(const Version& a, const Version& b)
{
    if (auto c = a.m_parts.epoch <=> b.m_parts.epoch; c != 0) return c;
    const auto ra = trimmed_release(a.m_parts.release);
    const auto rb = trimmed_release(b.m_parts.release);
    if (auto c = std::lexicographical_compare_three_way(ra.begin(), ra.end(), rb.begin(), rb.end()); c != 0) return c;
    const auto sa = suffix_key(a.m_parts);
    const auto sb = suffix_key(b.m_parts);
    if (auto c = sa <=> sb; c != 0) return c;
    const auto& la = a.m_parts.local;
    const auto& lb = b.m_parts.local;
    return std::lexicographical_compare_three_way(la.begin(), la.end(), lb.begin(), lb.end(), compare_segment);
}

}  // namespace gapbundle::sources::pypi
