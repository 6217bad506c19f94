#pragma once

#include <gapbundle/sources/pypi/specifier.hpp>
#include <gapbundle/util/error.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gapbundle::sources::pypi {

// The target interpreter and platform a marker is evaluated for (the gap's, never this host's).
struct MarkerEnvironment {
    std::string python_version;                  // "3.11"
    std::string python_full_version;             // "3.11.9"
    std::string implementation_name;             // "cpython"
    std::string implementation_version;          // "3.11.9"
    std::string platform_python_implementation;  // "CPython"
    std::string platform_machine;                // "x86_64", "aarch64", "arm64", "AMD64"
    std::string platform_system;                 // "Linux", "Darwin", "Windows"
    std::string platform_release;                // unknowable for a foreign kernel: "" by policy
    std::string platform_version;                // likewise
    std::string sys_platform;                    // "linux", "darwin", "win32"
    std::string os_name;                         // "posix", "nt"
    std::string extra;                           // the extra being evaluated, "" for none
};

enum class MarkerVariable {
    python_version,
    python_full_version,
    implementation_name,
    implementation_version,
    platform_python_implementation,
    platform_machine,
    platform_system,
    platform_release,
    platform_version,
    sys_platform,
    os_name,
    extra,
};

std::string_view to_string(MarkerVariable variable);

enum class MarkerOperator { version, in, not_in };

// One "left op right" test; exactly one side is a variable, the other a quoted string.
struct MarkerComparison {
    std::variant<MarkerVariable, std::string> left;
    MarkerOperator kind;
    SpecifierOperator op;  // when kind == version
    std::variant<MarkerVariable, std::string> right;
};

// "and" binds tighter than "or"; a leaf holds one comparison.
struct MarkerNode {
    enum class Kind { comparison, all_of, any_of };
    Kind kind;
    MarkerComparison comparison;       // Kind::comparison
    std::vector<MarkerNode> children;  // Kind::all_of, Kind::any_of
};

// A PEP 508 environment marker, evaluated as pypa/packaging does: python_version,
// python_full_version, implementation_version and platform_release compare as PEP 440
// versions (pre-releases allowed) when the right side is a valid specifier version; everything
// else compares as text, "in" is a substring test, and extra names are compared normalised
// (PEP 685).
class Marker {
public:
    // Errors (ErrorCode::manifest) point at the column:
    // "invalid marker 'os_name = \"nt\"': expected an operator ... (column 9)".
    static Result<Marker> parse(std::string_view text);

    explicit Marker(MarkerNode root) : m_root(std::move(root)) {}

    // With env.extra as the extra. An error for comparisons packaging leaves undefined
    // (~= on text, a version operator on a value that is not a version specifier).
    [[nodiscard]] Result<bool> evaluate(const MarkerEnvironment& env) const;
    // True when the marker holds without an extra or for any of the requested extras, the way
    // pip reads Requires-Dist lines for "name[extra1,extra2]".
    [[nodiscard]] Result<bool> evaluate(const MarkerEnvironment& env, std::span<const std::string> extras) const;

    [[nodiscard]] const MarkerNode& root() const { return m_root; }
    // Normalised text: python_version < "3.12" and (os_name == "nt" or extra == "socks").
    [[nodiscard]] std::string to_string() const;

private:
    MarkerNode m_root;
};

}  // namespace gapbundle::sources::pypi
