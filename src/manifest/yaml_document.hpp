#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace gapbundle::manifest::detail {

struct SingleDocument {
    YAML::Node root;                  // the first document (undefined when there is none)
    std::optional<YAML::Mark> second;  // where a second document starts, if there is one
};

// Loads the first YAML document of `yaml` and tells whether another follows; throws YAML::Exception.
// Not YAML::LoadAll: yaml-cpp 0.7 reports a stray ',' outside a flow ("[a],") as an empty document
// without consuming it, and LoadAll asks again forever, allocating a node each time (found by
// fuzz/manifest_fuzzer). Here the parser is asked for at most two documents.
SingleDocument load_single_document(const std::string& yaml);

}  // namespace gapbundle::manifest::detail
