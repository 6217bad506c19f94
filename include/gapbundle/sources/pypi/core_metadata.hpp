#pragma once

#include <gapbundle/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

// The fields of a distribution's core metadata (a wheel's .dist-info/METADATA, a PEP 658 file)
// that resolving needs.
struct CoreMetadata {
    std::string name;
    std::string version;
    std::vector<std::string> requires_dist;  // PEP 508 lines, as written
    std::optional<std::string> requires_python;
    std::vector<std::string> provides_extra;
    std::string metadata_version;

    bool operator==(const CoreMetadata&) const = default;
};

// The email-header format: "Field: value" lines, continuation lines starting with a space or a
// tab, repeated fields; the headers end at the first blank line (the description body is not
// read). Errors are ErrorCode::download and start with `where` (a file name or URL).
Result<CoreMetadata> parse_core_metadata(std::string_view text, std::string_view where);

}  // namespace gapbundle::sources::pypi
