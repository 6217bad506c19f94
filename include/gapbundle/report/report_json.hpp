#pragma once

// `report --json`: the model as every --json output prints (keys sorted, indented by two), written
// a piece at a time. The file lists come from the index as they are written: 66,000 files held as
// JSON objects, then as text, then parsed again with sorted keys, were 150 MB.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>

namespace gapbundle::report {

// `model` is what report_model() made of `index` with FileLists::left_out. The document written is
// what the model with its file lists would print, byte for byte, with a newline at its end.
Status write_report_json(const nlohmann::ordered_json& model, const bundle::Index& index,
                         const std::function<Status(std::string_view)>& sink);

}  // namespace gapbundle::report
