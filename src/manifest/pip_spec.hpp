#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

namespace gapbundle::manifest::detail {

// The `pip:` mapping. Requirement lines, platforms and versions are kept as written: the pip
// kind knows their grammars. Index URLs must be http(s) and carry no password.
Result<PipSpec> parse_pip(const YamlReader& reader, const YAML::Node& pip);

}  // namespace gapbundle::manifest::detail
