#pragma once

#include <gapbundle/util/error.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gapbundle::sources::pypi {

enum class PreReleaseKind { alpha, beta, candidate };  // written a, b, rc

struct PreRelease {
    PreReleaseKind kind;
    std::uint64_t number;

    friend bool operator==(const PreRelease&, const PreRelease&) = default;
};

// One dot-separated piece of a local label: a number, or lower-case letters and digits.
using LocalSegment = std::variant<std::uint64_t, std::string>;

// A PEP 440 version, normalised as pypa/packaging does: "V1.0-ALPHA_2" is 1.0a2,
// "1.0-1" is 1.0.post1, "1.0+Ubuntu-1" is 1.0+ubuntu.1. Ordering is PEP 440's:
// trailing zeros do not count (1.0 == 1.0.0), .devN < aN < bN < rcN < final < .postN,
// and a local label sorts above the same version without one.
class Version {
public:
    struct Parts {
        std::uint64_t epoch;
        std::vector<std::uint64_t> release;  // never empty
        std::optional<PreRelease> pre;
        std::optional<std::uint64_t> post;
        std::optional<std::uint64_t> dev;
        std::vector<LocalSegment> local;  // empty: no local label
    };

    // Errors (ErrorCode::manifest) name the text: "invalid version 'french toast'".
    static Result<Version> parse(std::string_view text);

    // Requires a non-empty release.
    explicit Version(Parts parts);

    [[nodiscard]] const Parts& parts() const { return m_parts; }
    [[nodiscard]] std::uint64_t epoch() const { return m_parts.epoch; }
    [[nodiscard]] const std::vector<std::uint64_t>& release() const { return m_parts.release; }
    [[nodiscard]] const std::optional<PreRelease>& pre() const { return m_parts.pre; }
    [[nodiscard]] const std::optional<std::uint64_t>& post() const { return m_parts.post; }
    [[nodiscard]] const std::optional<std::uint64_t>& dev() const { return m_parts.dev; }
    [[nodiscard]] const std::vector<LocalSegment>& local() const { return m_parts.local; }

    // A .devN counts as a pre-release, as in packaging.
    [[nodiscard]] bool is_prerelease() const { return m_parts.pre || m_parts.dev; }
    [[nodiscard]] bool is_devrelease() const { return m_parts.dev.has_value(); }
    [[nodiscard]] bool is_postrelease() const { return m_parts.post.has_value(); }
    [[nodiscard]] bool has_local() const { return !m_parts.local.empty(); }

    // Canonical text: "1!2.0rc1.post3.dev4+ubuntu.1" (a zero epoch is left out).
    [[nodiscard]] std::string to_string() const;
    // The version without its local label: 1.0a1+abc -> 1.0a1.
    [[nodiscard]] Version public_version() const;
    // Epoch and release only: 1!1.0rc1.post2+abc -> 1!1.0.
    [[nodiscard]] Version base_version() const;

    friend std::weak_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }

private:
    Parts m_parts;
};

}  // namespace gapbundle::sources::pypi
