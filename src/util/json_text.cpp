#include <gapbundle/util/json_text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gapbundle::json_text {

void append_string(std::string& out, std::string_view value)
{
    const bool plain = std::ranges::all_of(value, [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
    if (!plain) {
        out += nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    out += value;
    out += '"';
}

}  // namespace gapbundle::json_text
