#pragma once

// The report as one self-contained HTML page: inline CSS and SVG, no script, no font, no request
// of any kind, since it is opened inside the gap. Hashes and file lists sit in <details>, one click
// away. Every component is a <tr class="component" data-kind=… data-name=… data-version=…>, for
// a reader (or a test) to find.

#include <nlohmann/json.hpp>

#include <string>

namespace gapbundle::report {

// `model` is what report_model() returns.
std::string render_html(const nlohmann::ordered_json& model);

}  // namespace gapbundle::report
