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

void write_indented(std::string_view compact, int depth, const std::function<void(std::string_view)>& out)
{
    constexpr std::size_t k_piece = 64 << 10;
    std::string piece;
    piece.reserve(k_piece + 256);
    const auto new_line = [&] {
        piece += '\n';
        piece.append(2 * static_cast<std::size_t>(depth), ' ');
    };
    bool in_string = false;
    for (std::size_t i = 0; i < compact.size(); ++i) {
        const char c = compact[i];
        if (in_string) {
            piece += c;
            if (c == '\\' && i + 1 < compact.size()) piece += compact[++i];
            else if (c == '"') in_string = false;
        } else if (c == '{' || c == '[') {
            piece += c;
            if (i + 1 < compact.size() && compact[i + 1] == (c == '{' ? '}' : ']')) {
                piece += compact[++i];  // empty: dump(2) prints {} and []
            } else {
                ++depth;
                new_line();
            }
        } else if (c == '}' || c == ']') {
            --depth;
            new_line();
            piece += c;
        } else if (c == ',') {
            piece += c;
            new_line();
        } else if (c == ':') {
            piece += ": ";
        } else {
            piece += c;
            in_string = c == '"';
        }
        if (piece.size() >= k_piece) {
            out(piece);
            piece.clear();
        }
    }
    if (!piece.empty()) out(piece);
}

}  // namespace gapbundle::json_text
