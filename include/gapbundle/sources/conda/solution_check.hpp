#pragma once

#include <gapbundle/sources/conda/match_spec.hpp>
#include <gapbundle/sources/conda/record.hpp>
#include <gapbundle/util/error.hpp>

#include <span>

namespace gapbundle::sources::conda {

// Checks a solution on its own terms, sharing nothing with the solver but MatchSpec: one record
// per name, every spec matched by a record (or a virtual package), every record's depends
// matched inside the solution or the virtual packages, and no record or virtual package
// violating a constrains. Fails (ErrorCode::internal) with every problem found, one per line.
Status check_solution(std::span<const MatchSpec> specs, std::span<const RepodataRecord> records,
                      std::span<const RepodataRecord> virtual_packages);

}  // namespace gapbundle::sources::conda
