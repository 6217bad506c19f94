#pragma once

#include "support/run_binary.hpp"

#include <filesystem>

namespace gapbundle::testing {

// Validates `document` against the CycloneDX 1.5 JSON schema vendored under tests/data/cyclonedx/
// (tests/tools/validate_cyclonedx.py with Debian's python3-jsonschema): status 0 when valid, else
// 1 and each error with its JSON path on err.
RunResult validate_cyclonedx(const std::filesystem::path& document, const std::filesystem::path& scratch);

}  // namespace gapbundle::testing
