#include "support/cyclonedx_schema.hpp"

namespace gapbundle::testing {

RunResult validate_cyclonedx(const std::filesystem::path& document, const std::filesystem::path& scratch)
{
    const auto root = source_root();
    // Debian's interpreter, where python3-jsonschema is installed, whatever python3 PATH finds.
    return run_program("/usr/bin/python3",
                       {(root / "tests" / "tools" / "validate_cyclonedx.py").string(),
                        (root / "tests" / "data" / "cyclonedx").string(), document.string()},
                       scratch);
}

}  // namespace gapbundle::testing
