#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

namespace gapbundle::manifest::detail {

// The `conda:` mapping: `channels`, `subdirs`, `virtual_packages`, `specs`, `environment_files`.
// The environment files are not read here: see merge_environment_files.
Result<CondaSpec> parse_conda(const YamlReader& reader, const YAML::Node& node);

// Reads every environment file `manifest.conda` names (relative to the manifest's folder) and
// merges it in as CondaSpec describes. A `pip:` list needs the manifest's `pip:` section (the
// target interpreter comes from there). Then checks that the section has a channel and a spec.
Status merge_environment_files(Manifest& manifest);

}  // namespace gapbundle::manifest::detail
