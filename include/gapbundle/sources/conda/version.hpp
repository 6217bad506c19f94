#pragma once

#include <gapbundle/util/error.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda {

// One run of a version component: a number, a string, or "post" (above everything).
// Strings keep conda's internal spelling: lower case, with "dev" written "DEV" so that
// '*' < "DEV" < '_' < letters in byte order.
struct VersionAtom {
    enum class Kind : std::uint8_t { string, number, post };  // in ascending order
    Kind kind;
    std::uint64_t number;  // Kind::number only
    std::string text;      // Kind::string only

    friend bool operator==(const VersionAtom&, const VersionAtom&) = default;
};

// A component between separators: "1", "0a1" (a leading letter gets an implicit 0), "0post1".
using VersionComponent = std::vector<VersionAtom>;

// A conda version ordered as conda's VersionOrder (CEP 33): case-insensitive, epoch at '!',
// local part at '+', components split on '.', '_' (and '-' when there is no '_'), digit and
// non-digit runs, missing components and atoms padded with 0 (1.1 == 1.1.0), and within a
// component "dev" < '_' < other strings < numbers < "post". No PEP 440 normalisation.
class VersionOrder {
public:
    // Errors (ErrorCode::manifest) name the text and the rule: "invalid version '1..2': empty
    // version component".
    static Result<VersionOrder> parse(std::string_view text);

    // The text as given (trimmed), for messages and globs.
    [[nodiscard]] const std::string& text() const { return m_text; }
    // Lower-cased, '-' read as '_': what conda's globs and regexes match against.
    [[nodiscard]] const std::string& normalized() const { return m_normalized; }
    // The epoch first, then the components of the main part.
    [[nodiscard]] const std::vector<VersionComponent>& main() const { return m_main; }
    [[nodiscard]] const std::vector<VersionComponent>& local() const { return m_local; }

    // conda's VersionOrder.startswith: "1.2.3" and "1.2a" start with "1.2"; "1.20" does not.
    [[nodiscard]] bool starts_with(const VersionOrder& prefix) const;

    friend std::strong_ordering operator<=>(const VersionOrder& a, const VersionOrder& b);
    friend bool operator==(const VersionOrder& a, const VersionOrder& b) { return (a <=> b) == 0; }

private:
    VersionOrder() = default;

    std::string m_text;
    std::string m_normalized;
    std::vector<VersionComponent> m_main;
    std::vector<VersionComponent> m_local;
};

}  // namespace gapbundle::sources::conda
