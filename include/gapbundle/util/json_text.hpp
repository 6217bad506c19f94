#pragma once

// JSON text written piece by piece, byte for byte as nlohmann::json::dump writes it: the form
// bundles were signed in and locks were written in, without a JSON value per piece.

#include <string>
#include <string_view>

namespace gapbundle::json_text {

// `value` as a JSON string: UTF-8 kept, `"` `\` and control bytes escaped, invalid UTF-8 replaced
// by U+FFFD. Printable ASCII, nearly every path and digest, is copied as it is; anything else goes
// through nlohmann.
void append_string(std::string& out, std::string_view value);

}  // namespace gapbundle::json_text
