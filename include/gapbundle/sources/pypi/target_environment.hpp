#pragma once

#include <gapbundle/sources/pypi/markers.hpp>
#include <gapbundle/sources/pypi/tags.hpp>
#include <gapbundle/util/error.hpp>

namespace gapbundle::sources::pypi {

// The marker environment of a target, as uv derives it from --python-platform and
// --python-version: the operating system and machine from the platform tags (which must all
// name the same ones), python_full_version from `python` ("3.11" stands for 3.11.0),
// platform_release and platform_version empty (unknowable for the gap's kernel).
// ErrorCode::manifest for a target validate_target refuses, or platforms of two systems.
Result<MarkerEnvironment> marker_environment(const Target& target);

}  // namespace gapbundle::sources::pypi
