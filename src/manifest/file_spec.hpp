#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

#include <vector>

namespace gapbundle::manifest::detail {

// The `files:` list: each entry checked (keys, URL scheme, sha256, safe and unique target paths).
// `manifest` gives the folder that relative paths resolve against.
Result<std::vector<FileSpec>> parse_files(const YamlReader& reader, const YAML::Node& files, const Manifest& manifest);

}  // namespace gapbundle::manifest::detail
