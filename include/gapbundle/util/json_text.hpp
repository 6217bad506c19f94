#pragma once

// JSON text written piece by piece, byte for byte as nlohmann::json::dump writes it: the form
// bundles were signed in and locks were written in, without a JSON value per piece.

#include <functional>
#include <string>
#include <string_view>

namespace gapbundle::json_text {

// `value` as a JSON string: UTF-8 kept, `"` `\` and control bytes escaped, invalid UTF-8 replaced
// by U+FFFD. Printable ASCII, nearly every path and digest, is copied as it is; anything else goes
// through nlohmann.
void append_string(std::string& out, std::string_view value);

// `compact`, JSON text with no insignificant whitespace (dump() or the canonical writer's), as
// dump(2) prints it: the value of a member `depth` levels down, so its inner lines are indented by
// 2 * (depth + 1) spaces. Handed to `out` in pieces of about 64 KiB, never as one string.
void write_indented(std::string_view compact, int depth, const std::function<void(std::string_view)>& out);

}  // namespace gapbundle::json_text
