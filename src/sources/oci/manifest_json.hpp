#pragma once

// The JSON side of manifest_references.hpp, for the readers that hold a parsed document
// (index.json). Keys keep the order they were written in, so what is copied stays as it was.

#include <gapbundle/sources/oci/manifest_references.hpp>

#include <nlohmann/json.hpp>

namespace gapbundle::sources::oci::detail {

using Json = nlohmann::ordered_json;

// A JSON object, else "<where>: not valid JSON" / "<where>: not a JSON object".
Result<Json> parse_json_object(std::string_view bytes, std::string_view where, ErrorCode code);

// One descriptor; `where` names it ("index.json: manifests[2]").
Result<Descriptor> parse_descriptor(const Json& value, std::string_view where, ErrorCode code);

// The descriptors of the array `key` of `document` ("manifests", "layers").
Result<std::vector<Descriptor>> parse_descriptor_list(const Json& document, std::string_view key,
                                                      std::string_view where, ErrorCode code);

}  // namespace gapbundle::sources::oci::detail
