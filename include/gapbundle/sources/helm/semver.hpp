#pragma once

// Chart versions as Helm reads them: Semantic Versioning 2.0.0 with Masterminds/semver v3's
// leniency (a 'v' prefix, missing minor or patch), and its version constraints ("^1.2",
// "~1.2.3", ">=1, <2 || 3.x", "1.2 - 1.4").

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::helm {

class SemVer {
public:
    // "1.2.3", "v1.2", "1", "1.2.3-rc.1+build.5". Errors (ErrorCode::manifest) name the text:
    // "invalid semantic version '1.2.3.4'".
    static Result<SemVer> parse(std::string_view text);
    // Exactly MAJOR.MINOR.PATCH with optional pre-release and build, no 'v' (what an OCI tag
    // must be for `helm pull` to take it as a chart version).
    static Result<SemVer> parse_strict(std::string_view text);

    [[nodiscard]] std::uint64_t major() const { return m_major; }
    [[nodiscard]] std::uint64_t minor() const { return m_minor; }
    [[nodiscard]] std::uint64_t patch() const { return m_patch; }
    [[nodiscard]] const std::string& prerelease() const { return m_prerelease; }  // "" when none
    [[nodiscard]] const std::string& build() const { return m_build; }
    [[nodiscard]] const std::string& text() const { return m_text; }  // as written

    // SemVer 2.0.0 precedence: build metadata does not count; a pre-release sorts before its
    // release; pre-release identifiers compare numerically when both are numbers, numbers before
    // words, and a shorter list first when one is a prefix of the other.
    [[nodiscard]] int compare(const SemVer& other) const;
    bool operator==(const SemVer& other) const { return compare(other) == 0; }
    auto operator<=>(const SemVer& other) const { return compare(other) <=> 0; }

    SemVer() = default;  // 0.0.0

private:
    std::uint64_t m_major = 0;
    std::uint64_t m_minor = 0;
    std::uint64_t m_patch = 0;
    std::string m_prerelease;
    std::string m_build;
    std::string m_text;
};

// A Masterminds/semver v3 constraint, as `helm pull --version` and Chart.yaml dependencies take
// it. Alternatives separated by "||"; within one, comparisons separated by spaces or commas must
// all hold. Operators: = (or none), !=, >, <, >= (=>), <= (=<), ~ (~>), ^; the version may use
// x, X or * for a part ("1.2.x"), and "A - B" means ">= A, <= B". A pre-release version fits an
// alternative only when one of its comparisons names a pre-release (or when asked to include them).
class SemVerConstraint {
public:
    // Errors (ErrorCode::manifest): "invalid version constraint '>= 1.2 <': ...".
    static Result<SemVerConstraint> parse(std::string_view text);

    [[nodiscard]] bool matches(const SemVer& version, bool include_prereleases = false) const;
    [[nodiscard]] const std::string& text() const { return m_text; }

    enum class Op { equal, not_equal, greater, less, greater_equal, less_equal, tilde, caret };
    // One comparison; a version with wildcard or missing parts ("1", "1.2.x", "*") has them as 0
    // and is `wild`, with `minor_wild` ("1", "1.x") or `patch_wild` ("1.2", "1.2.x") saying which.
    struct Comparison {
        Op op = Op::equal;
        SemVer version;
        bool wild = false;
        bool minor_wild = false;
        bool patch_wild = false;
    };

private:
    SemVerConstraint() = default;

    std::string m_text;
    std::vector<std::vector<Comparison>> m_alternatives;
};

}  // namespace gapbundle::sources::helm
