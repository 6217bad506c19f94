#pragma once

#include <gapbundle/sources/conda/version.hpp>

#include <ostream>

namespace gapbundle::sources::conda {

// Lets GoogleTest show a VersionOrder as text in failure messages.
inline void PrintTo(const VersionOrder& version, std::ostream* os)
{
    *os << version.text();
}

}  // namespace gapbundle::sources::conda
