#include <gapbundle/sources/conda/version.hpp>

#include "conda_text.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using namespace conda_text;

std::unexpected<Error> invalid(std::string_view text, std::string_view why)
{
    return fail(ErrorCode::manifest, "invalid version '" + std::string(text) + "': " + std::string(why));
}

bool allowed_char(char c)
{
    return is_digit(c) || is_lower(c) || c == '*' || c == '.' || c == '+' || c == '!' || c == '_';
}

std::optional<char> first_invalid_char(std::string_view text)
{
    const auto it = std::ranges::find_if(text, [](char c) { return !allowed_char(c); });
    if (it == text.end()) return std::nullopt;
    return *it;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// A digit run, a '*' run or any other run, as conda's ([0-9]+|[*]+|[^0-9*]+).
std::size_t run_end(std::string_view text, std::size_t pos)
{
    const auto kind = [](char c) { return is_digit(c) ? 0 : (c == '*' ? 1 : 2); };
    const int first = kind(text[pos]);
    while (pos < text.size() && kind(text[pos]) == first) ++pos;
    return pos;
}

Result<VersionAtom> atom_of(std::string_view run, std::string_view whole)
{
    if (is_digit(run.front())) {
        std::uint64_t value = 0;
        for (char c : run) {
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                return invalid(whole, "a number is too large");
            }
            value = value * 10 + digit;
        }
        return VersionAtom{.kind = VersionAtom::Kind::number, .number = value, .text = {}};
    }
    if (run == "post") return VersionAtom{.kind = VersionAtom::Kind::post, .number = 0, .text = {}};
    return VersionAtom{.kind = VersionAtom::Kind::string, .number = 0, .text = run == "dev" ? "DEV" : std::string(run)};
}

Result<VersionComponent> component_of(std::string_view text, std::string_view whole)
{
    if (text.empty()) return invalid(whole, "empty version component");
    VersionComponent component;
    if (!is_digit(text.front())) {
        component.push_back(VersionAtom{.kind = VersionAtom::Kind::number, .number = 0, .text = {}});
    }
    for (std::size_t pos = 0; pos < text.size();) {
        const auto end = run_end(text, pos);
        auto atom = atom_of(text.substr(pos, end - pos), whole);
        if (!atom) return std::unexpected(atom.error());
        component.push_back(std::move(*atom));
        pos = end;
    }
    return component;
}

Result<std::vector<VersionComponent>> components_of(const std::vector<std::string>& parts, std::string_view whole)
{
    std::vector<VersionComponent> out;
    out.reserve(parts.size());
    for (const auto& part : parts) {
        auto component = component_of(part, whole);
        if (!component) return std::unexpected(component.error());
        out.push_back(std::move(*component));
    }
    return out;
}

// '_' reads as '.'; a trailing '_' stays on the last component (openssl's "1.0.1_").
std::vector<std::string> dotted_parts(std::string_view text)
{
    const bool trailing_underscore = !text.empty() && text.back() == '_';
    if (trailing_underscore) text.remove_suffix(1);
    std::string dotted(text);
    std::ranges::replace(dotted, '_', '.');
    std::vector<std::string> parts;
    for (auto part : split(dotted, '.')) parts.emplace_back(part);
    if (trailing_underscore) parts.back() += '_';
    return parts;
}

const VersionAtom k_zero{.kind = VersionAtom::Kind::number, .number = 0, .text = {}};
const VersionComponent k_empty_component{};

std::strong_ordering compare_atoms(const VersionAtom& a, const VersionAtom& b)
{
    if (a.kind != b.kind) return a.kind <=> b.kind;
    if (a.kind == VersionAtom::Kind::number) return a.number <=> b.number;
    if (a.kind == VersionAtom::Kind::string) return a.text.compare(b.text) <=> 0;
    return std::strong_ordering::equal;
}

std::strong_ordering compare_components(const VersionComponent& a, const VersionComponent& b)
{
    const auto n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& x = i < a.size() ? a[i] : k_zero;
        const auto& y = i < b.size() ? b[i] : k_zero;
        if (auto c = compare_atoms(x, y); c != 0) return c;
    }
    return std::strong_ordering::equal;
}

std::strong_ordering compare_lists(std::span<const VersionComponent> a, std::span<const VersionComponent> b)
{
    const auto n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& x = i < a.size() ? a[i] : k_empty_component;
        const auto& y = i < b.size() ? b[i] : k_empty_component;
        if (auto c = compare_components(x, y); c != 0) return c;
    }
    return std::strong_ordering::equal;
}

}  // namespace

Result<VersionOrder> VersionOrder::parse(std::string_view text)
{
    const auto trimmed = trim(text);
    if (trimmed.empty()) return invalid(text, "empty version string");
    std::string norm = lower(trimmed);
    auto bad = first_invalid_char(norm);
    if (bad && norm.find('-') != std::string::npos && norm.find('_') == std::string::npos) {
        std::ranges::replace(norm, '-', '_');
        bad = first_invalid_char(norm);
    }
    if (bad) return invalid(trimmed, "invalid character '" + std::string(1, *bad) + "'");

    const auto at_epoch = split(norm, '!');
    if (at_epoch.size() > 2) return invalid(trimmed, "duplicated epoch separator '!'");
    std::string_view epoch = at_epoch.size() == 2 ? at_epoch[0] : "0";
    if (epoch.empty() || !std::ranges::all_of(epoch, is_digit)) return invalid(trimmed, "epoch must be an integer");

    const auto at_local = split(at_epoch.back(), '+');
    if (at_local.size() > 2) return invalid(trimmed, "duplicated local version separator '+'");
    if (at_local[0].empty()) return invalid(trimmed, "missing version before the local part or after the epoch");

    std::vector<std::string> main_parts{std::string(epoch)};
    for (auto& part : dotted_parts(at_local[0])) main_parts.push_back(std::move(part));
    std::vector<std::string> local_parts;
    if (at_local.size() == 2) {
        std::string local(at_local[1]);
        std::ranges::replace(local, '_', '.');
        for (auto part : split(local, '.')) local_parts.emplace_back(part);
    }

    VersionOrder version;
    version.m_text = std::string(trimmed);
    version.m_normalized = norm;
    auto main = components_of(main_parts, trimmed);
    if (!main) return std::unexpected(main.error());
    auto local = components_of(local_parts, trimmed);
    if (!local) return std::unexpected(local.error());
    version.m_main = std::move(*main);
    version.m_local = std::move(*local);
    return version;
}

bool VersionOrder::starts_with(const VersionOrder& prefix) const
{
    std::span<const VersionComponent> mine = m_main;
    std::span<const VersionComponent> theirs = prefix.m_main;
    if (!prefix.m_local.empty()) {
        if (compare_lists(m_main, prefix.m_main) != 0) return false;
        mine = m_local;
        theirs = prefix.m_local;
    }
    const auto last = theirs.size() - 1;
    if (compare_lists(mine.first(std::min(last, mine.size())), theirs.first(last)) != 0) return false;
    const VersionComponent& v1 = mine.size() <= last ? k_empty_component : mine[last];
    const VersionComponent& v2 = theirs[last];
    const auto last_atom = v2.size() - 1;
    const VersionComponent head1(v1.begin(), v1.begin() + static_cast<std::ptrdiff_t>(std::min(last_atom, v1.size())));
    const VersionComponent head2(v2.begin(), v2.begin() + static_cast<std::ptrdiff_t>(last_atom));
    if (compare_components(head1, head2) != 0) return false;
    const VersionAtom& c1 = v1.size() <= last_atom ? k_zero : v1[last_atom];
    const VersionAtom& c2 = v2[last_atom];
    if (c2.kind == VersionAtom::Kind::string) {
        return c1.kind == VersionAtom::Kind::string && c1.text.starts_with(c2.text);
    }
    return compare_atoms(c1, c2) == 0;
}

std::strong_ordering operator<=>(const VersionOrder& a, const VersionOrder& b)
{
    if (auto c = compare_lists(a.m_main, b.m_main); c != 0) return c;
    return compare_lists(a.m_local, b.m_local);
}

}  // namespace gapbundle::sources::conda
