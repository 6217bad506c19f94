#pragma once

#include <gapbundle/sources/pypi/version.hpp>
#include <gapbundle/util/error.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

enum class SpecifierOperator {
    compatible,     // ~=
    equal,          // ==  (with .* a prefix match)
    not_equal,      // !=  (with .* a prefix mismatch)
    less_equal,     // <=
    greater_equal,  // >=
    less,           // <
    greater,        // >
    arbitrary,      // ===, case-insensitive text equality
};

std::string_view to_string(SpecifierOperator op);

// Whether pre-releases (.devN included) may match.
enum class Prereleases {
    by_specifier,  // PEP 440's default: only when a clause names a pre-release (">=1.0rc1")
    allow,
    exclude,
};

// One PEP 440 clause, ">=1.0", "==1.2.*", "~=2.2", "===foobar".
class Specifier {
public:
    // Errors (ErrorCode::manifest) name the text and the rule broken:
    // "invalid specifier '>=1.0+abc': a local version label is only allowed with == and !=".
    static Result<Specifier> parse(std::string_view text);

    [[nodiscard]] SpecifierOperator op() const { return m_op; }
    // The version as written, without ".*": "1.2" for "==1.2.*", "foobar" for "===foobar".
    [[nodiscard]] const std::string& version_text() const { return m_version_text; }
    [[nodiscard]] bool is_wildcard() const { return m_wildcard; }
    // The parsed version; for === it is meaningful only when the text is a valid version.
    [[nodiscard]] const Version& version() const { return m_version; }

    // packaging's Specifier.prereleases: the clause names a pre-release, and is not != or ==V.*.
    [[nodiscard]] bool mentions_prerelease() const;

    // The operator's own rule, ignoring the pre-release policy (PEP 440's exclusive-ordering
    // rules included: <2.0 rejects 2.0rc1, >1.7 rejects 1.7.post1 and 1.7+local).
    [[nodiscard]] bool matches(const Version& version) const;
    [[nodiscard]] bool contains(const Version& version, Prereleases policy = Prereleases::by_specifier) const;

    // ">=1.0", "==1.2.*": the operator and the version as written.
    [[nodiscard]] std::string to_string() const;

private:
    Specifier(SpecifierOperator op, std::string version_text, bool wildcard, Version version);

    SpecifierOperator m_op;
    std::string m_version_text;
    bool m_wildcard;
    Version m_version;

    friend Result<Specifier> make_specifier(SpecifierOperator op, std::string_view version_text);
};

// Comma-separated clauses that must all hold (">=1.0, !=1.3.*, <2"). Empty matches everything.
class SpecifierSet {
public:
    SpecifierSet() = default;
    explicit SpecifierSet(std::vector<Specifier> specifiers) : m_specifiers(std::move(specifiers)) {}

    // Errors as Specifier::parse's; "" gives the empty set.
    static Result<SpecifierSet> parse(std::string_view text);

    [[nodiscard]] const std::vector<Specifier>& specifiers() const { return m_specifiers; }
    [[nodiscard]] bool empty() const { return m_specifiers.empty(); }
    [[nodiscard]] bool mentions_prerelease() const;

    // Every clause matches, and the version is not a pre-release the policy excludes.
    [[nodiscard]] bool contains(const Version& version, Prereleases policy = Prereleases::by_specifier) const;

    // The matching versions, in their order. With Prereleases::by_specifier and no clause
    // naming a pre-release, pre-releases are dropped, unless only pre-releases match: then
    // those are kept (packaging's filter, PEP 440's "nothing else satisfies the specifier").
    [[nodiscard]] std::vector<Version> filter(std::span<const Version> versions,
                                              Prereleases policy = Prereleases::by_specifier) const;

    // The clauses joined by "," in the order written: ">=1.0,<2".
    [[nodiscard]] std::string to_string() const;

private:
    std::vector<Specifier> m_specifiers;
};

}  // namespace gapbundle::sources::pypi
