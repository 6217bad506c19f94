#pragma once

#include <gapbundle/sources/pypi/version.hpp>

#include <ostream>

namespace gapbundle::sources::pypi {

// Lets GoogleTest show a Version as text in failure messages.
inline void PrintTo(const Version& version, std::ostream* os)
{
    *os << version.to_string();
}

}  // namespace gapbundle::sources::pypi
