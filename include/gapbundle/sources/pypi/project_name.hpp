#pragma once

#include <string>
#include <string_view>

namespace gapbundle::sources::pypi {

// PEP 503's normalised project name: lower case, each run of '-', '_' and '.' becomes '-'
// ("Foo.Bar__baz" -> "foo-bar-baz"). Extra names are normalised the same way (PEP 685).
std::string canonical_name(std::string_view name);

// The core metadata rule for Name: ASCII letters and digits, with ".", "_", "-" inside.
bool is_valid_project_name(std::string_view name);

}  // namespace gapbundle::sources::pypi
