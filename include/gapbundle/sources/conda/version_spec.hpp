#pragma once

#include <gapbundle/sources/conda/version.hpp>
#include <gapbundle/util/error.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda {

// A conda version constraint (CEP 29): ">=1.26,<2.0a0", "1.2|1.4*", "(>=1,<2)|3.*", "=1.8",
// "!=1.2.*", "~=1.4.2", "1.*.3" (glob), "^1\.2\.[0-9]+$" (regex), "*". ',' binds tighter than
// '|'. A bare version is exact (==); a trailing '*' or a leading '=' is a prefix match.
class VersionSpec {
public:
    // Errors (ErrorCode::manifest) name the text and the fragment at fault:
    // "invalid version spec '>=1.2,<': operator '<' has no version".
    static Result<VersionSpec> parse(std::string_view text);

    [[nodiscard]] bool matches(const VersionOrder& version) const;
    // The text as given, trimmed.
    [[nodiscard]] const std::string& text() const { return m_text; }
    // "*": matches every version.
    [[nodiscard]] bool is_any() const;

    struct Node;

private:
    VersionSpec() = default;

    std::string m_text;
    std::shared_ptr<const std::vector<Node>> m_nodes;  // m_nodes->back() is the root
};

}  // namespace gapbundle::sources::conda
