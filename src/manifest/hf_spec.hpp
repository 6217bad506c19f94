#pragma once

#include "yaml_reader.hpp"

#include <gapbundle/manifest/manifest.hpp>

namespace gapbundle::manifest::detail {

// The `huggingface:` mapping: `endpoint` and `repos` (each a repo id, or a mapping with `repo`,
// `type`, `revision`, `allow`, `ignore`).
Result<HuggingFaceSpec> parse_huggingface(const YamlReader& reader, const YAML::Node& node);

}  // namespace gapbundle::manifest::detail
