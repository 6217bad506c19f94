#pragma once

#include "resolver_state.hpp"

#include <gapbundle/sources/pypi/requirement.hpp>
#include <gapbundle/util/error.hpp>

#include <vector>

namespace gapbundle::sources::pypi {

// The error for a resolution that ran out of choices at `conflict`: the requirements that clash,
// or, when one requirement alone matches nothing, the versions there are.
Error explain_conflict(const Conflict& conflict, ResolverMoves& moves, const std::vector<Requirement>& roots);

// ", "-joined requirements as written, for "(requested: ...)".
std::string requested_text(const std::vector<Requirement>& roots);

}  // namespace gapbundle::sources::pypi
