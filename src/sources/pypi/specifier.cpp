#include <gapbundle/sources/pypi/specifier.hpp>

#include "pep_text.hpp"
#include "specifier_parse.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace gapbundle::sources::pypi {
namespace {

struct OperatorSpelling {
    std::string_view text;
    SpecifierOperator op;
};

// Longest first, so "===" is not read as "==" and "<=" not as "<".
constexpr std::array k_operators{
    OperatorSpelling{.text = "===", .op = SpecifierOperator::arbitrary},
    OperatorSpelling{.text = "~=", .op = SpecifierOperator::compatible},
    OperatorSpelling{.text = "==", .op = SpecifierOperator::equal},
    OperatorSpelling{.text = "!=", .op = SpecifierOperator::not_equal},
    OperatorSpelling{.text = "<=", .op = SpecifierOperator::less_equal},
    OperatorSpelling{.text = ">=", .op = SpecifierOperator::greater_equal},
    OperatorSpelling{.text = "<", .op = SpecifierOperator::less},
    OperatorSpelling{.text = ">", .op = SpecifierOperator::greater},
};

// X.Y.dev0 for a release X.Y: the lowest version starting with that release.
Version release_dev0(std::uint64_t epoch, std::vector<std::uint64_t> release)
{
    return Version(Version::Parts{.epoch = epoch,
                                  .release = std::move(release),
                                  .pre = std::nullopt,
                                  .post = std::nullopt,
                                  .dev = 0,
                                  .local = {}});
}

// 1.2 -> 1.3.dev0: the lowest version past every version starting with 1.2.
Version next_prefix_dev0(std::uint64_t epoch, std::vector<std::uint64_t> prefix)
{
    ++prefix.back();
    return release_dev0(epoch, std::move(prefix));
}

bool in_prefix(const Version& candidate, const Version& prefix)
{
    return candidate >= release_dev0(prefix.epoch(), prefix.release()) &&
           candidate < next_prefix_dev0(prefix.epoch(), prefix.release());
}

bool same_release_and_pre(const Version& a, const Version& b)
{
    return a.epoch() == b.epoch() && a.base_version() == b.base_version() && a.pre() == b.pre();
}

// PEP 440's ">V": not V itself, nor V's local or post-releases (unless V is a post-release).
// As packaging 26 reads it: past a .devN the next version is .dev(N+1); past a .postN the next
// is .post(N+1).dev0; otherwise everything in V's family (same release and pre-release) is out.
bool greater_than(const Version& candidate, const Version& spec)
{
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    if (spec.dev() && *spec.dev() < max) {
        auto next = spec.parts();
        next.dev = *spec.dev() + 1;
        return candidate >= Version(std::move(next));
    }
    if (spec.post() && !spec.dev() && *spec.post() < max) {
        auto next = spec.parts();
        next.post = *spec.post() + 1;
        next.dev = 0;
        return candidate >= Version(std::move(next));
    }
    return candidate > spec && !same_release_and_pre(candidate, spec);
}

// PEP 440's "<V": below V.dev0 when V is not itself a pre-release, so <2.0 rejects 2.0rc1.
bool less_than(const Version& candidate, const Version& spec)
{
    if (spec.is_prerelease()) return candidate < spec;
    auto bound = spec.parts();
    bound.dev = 0;
    return candidate < Version(std::move(bound));
}

bool equal(const Version& candidate, const Specifier& spec)
{
    if (spec.is_wildcard()) return in_prefix(candidate, spec.version());
    // The candidate's local label counts only when the specifier has one.
    if (spec.version().has_local()) return candidate == spec.version();
    return candidate.public_version() == spec.version();
}

bool allows_prereleases(Prereleases policy, bool mentioned)
{
    return policy == Prereleases::allow || (policy == Prereleases::by_specifier && mentioned);
}

}  // namespace

std::string_view to_string(SpecifierOperator op)
{
    for (const auto& spelling : k_operators) {
        if (spelling.op == op) return spelling.text;
    }
    return "?";
}

std::optional<SpecifierOperator> read_operator(std::string_view text, std::size_t& pos)
{
    for (const auto& spelling : k_operators) {
        if (text.substr(pos, spelling.text.size()) == spelling.text) {
            pos += spelling.text.size();
            return spelling.op;
        }
    }
    return std::nullopt;
}

Result<Specifier> make_specifier(SpecifierOperator op, std::string_view version_text)
{
    const std::string op_text(to_string(op));
    if (version_text.empty()) return fail(ErrorCode::manifest, "expected a version after '" + op_text + "'");
    if (op == SpecifierOperator::arbitrary) {
        for (char c : version_text) {
            if (pep_text::is_space(c) || c == ';' || c == ')' || c == ',') {
                return fail(ErrorCode::manifest, "'" + std::string(version_text) + "' is not a single word");
            }
        }
        auto parsed = Version::parse(version_text);
        return Specifier(op, std::string(version_text), false, parsed.value_or(Version(Version::Parts{})));
    }
    const bool wildcard = version_text.ends_with(".*");
    const auto base = wildcard ? version_text.substr(0, version_text.size() - 2) : version_text;
    auto parsed = Version::parse(base);
    const bool spaced = std::any_of(base.begin(), base.end(), pep_text::is_space);
    if (!parsed || spaced) {
        return fail(ErrorCode::manifest, "'" + std::string(version_text) + "' is not a valid version");
    }
    const bool equality = op == SpecifierOperator::equal || op == SpecifierOperator::not_equal;
    if (wildcard && !equality) return fail(ErrorCode::manifest, ".* is only allowed with == and !=");
    if (wildcard && (parsed->pre() || parsed->post() || parsed->dev() || parsed->has_local())) {
        return fail(ErrorCode::manifest, ".* cannot follow a pre-release, post-release, dev or local version");
    }
    if (parsed->has_local() && !equality) {
        return fail(ErrorCode::manifest, "a local version label is only allowed with == and !=");
    }
    if (op == SpecifierOperator::compatible && parsed->release().size() < 2) {
        return fail(ErrorCode::manifest, "~= needs at least two release numbers, like ~=1.0");
    }
    return Specifier(op, std::string(base), wildcard, std::move(*parsed));
}

Specifier::Specifier(SpecifierOperator op, std::string version_text, bool wildcard, Version version)
    : m_op(op), m_version_text(std::move(version_text)), m_wildcard(wildcard), m_version(std::move(version))
{
}

Result<Specifier> Specifier::parse(std::string_view text)
{
    const auto trimmed = pep_text::trim(text);
    const auto invalid = [&](const std::string& why) {
        return fail(ErrorCode::manifest, "invalid specifier '" + std::string(text) + "': " + why);
    };
    std::size_t pos = 0;
    const auto op = read_operator(trimmed, pos);
    if (!op) return invalid("expected an operator (~=, ==, !=, <=, >=, <, >, ===) before the version");
    auto specifier = make_specifier(*op, pep_text::trim(trimmed.substr(pos)));
    if (!specifier) return invalid(specifier.error().message);
    return specifier;
}

bool Specifier::mentions_prerelease() const
{
    if (m_op == SpecifierOperator::not_equal || m_wildcard) return false;
    if (m_op == SpecifierOperator::arbitrary) {
        auto parsed = Version::parse(m_version_text);
        return parsed && parsed->is_prerelease();
    }
    return m_version.is_prerelease();
}

bool Specifier::matches(const Version& version) const
{
    switch (m_op) {
        case SpecifierOperator::arbitrary:
            return pep_text::lower(version.to_string()) == pep_text::lower(m_version_text);
        case SpecifierOperator::equal:
            return equal(version, *this);
        case SpecifierOperator::not_equal:
            return !equal(version, *this);
        case SpecifierOperator::less_equal:
            return version.public_version() <= m_version;
        case SpecifierOperator::greater_equal:
            return version >= m_version;
        case SpecifierOperator::less:
            return less_than(version, m_version);
        case SpecifierOperator::greater:
            return greater_than(version, m_version);
        case SpecifierOperator::compatible: {
            auto prefix = m_version.release();
            prefix.pop_back();
            return version >= m_version && version < next_prefix_dev0(m_version.epoch(), std::move(prefix));
        }
    }
    return false;
}

bool Specifier::contains(const Version& version, Prereleases policy) const
{
    if (version.is_prerelease() && !allows_prereleases(policy, mentions_prerelease())) return false;
    return matches(version);
}

std::string Specifier::to_string() const
{
    return std::string(pypi::to_string(m_op)) + m_version_text + (m_wildcard ? ".*" : "");
}

}  // namespace gapbundle::sources::pypi
