#pragma once

// The report as one self-contained HTML page: inline CSS and SVG, no script, no font, no request
// of any kind, since it is opened inside the gap. Hashes and file lists sit in <details>, one click
// away. Every component is a <tr class="component" data-kind=… data-name=… data-version=…>, for
// a reader (or a test) to find.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/util/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace gapbundle::report {

// Writes the page to `sink` about 64 KB at a time. `model` is what report_model() made of
// `index`, with its file lists or without: each component's files and the files under files/
// that no component holds are written from `index` as they come, never held whole (66,000 files
// are 11 MB of HTML). Returns the sink's first error.
Status write_html(const nlohmann::ordered_json& model, const bundle::Index& index,
                  const std::function<Status(std::string_view)>& sink);

// The whole page in one string.
std::string render_html(const nlohmann::ordered_json& model, const bundle::Index& index);

}  // namespace gapbundle::report
