#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

#include <vector>

namespace gapbundle::manifest::detail {

// The `images:` list: each entry a mapping with `ref` and optional `platforms`.
Result<std::vector<ImageSpec>> parse_images(const YamlReader& reader, const YAML::Node& images);

// The `registries:` mapping: host → {username_env, password_env, insecure}.
Result<std::vector<RegistrySettings>> parse_registries(const YamlReader& reader, const YAML::Node& registries);

}  // namespace gapbundle::manifest::detail
