#pragma once

// Per-header checks of the verifier (private to the bundle layer).

#include <gapbundle/bundle/verifier.hpp>

#include "archive_handles.hpp"

#include <optional>
#include <string>

namespace gapbundle::bundle::detail {

// The header on its own: a safe path, a ustar/pax header, a type in the profile
// (file, folder, relative symlink staying inside), no hardlink, no sparse map.
std::optional<Problem> check_profile(archive* a, archive_entry* header, const std::string& path);

// The header against the index entry it claims to be: type, size, mode, symlink target.
std::optional<Problem> check_against_index(archive_entry* header, const Entry& expected);

}  // namespace gapbundle::bundle::detail
