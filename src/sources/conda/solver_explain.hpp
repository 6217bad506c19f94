#pragma once

// Turns the failure that reached the top of the search into the message a user can act on.

#include "solver_search.hpp"

#include <string>

namespace gapbundle::sources::conda {

std::string explain_failure(const SolverIndex& index, const Failure& failure);

}  // namespace gapbundle::sources::conda
