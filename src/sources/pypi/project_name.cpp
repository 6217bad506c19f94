#include <gapbundle/sources/pypi/project_name.hpp>

#include "pep_text.hpp"

#include <algorithm>

namespace gapbundle::sources::pypi {

using pep_text::is_alnum;

std::string canonical_name(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (const char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (out.empty() || out.back() != '-') out += '-';
        } else {
            out += pep_text::to_lower(c);
        }
    }
    return out;
}

bool is_valid_project_name(std::string_view name)
{
    if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
    return std::ranges::all_of(name, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

}  // namespace gapbundle::sources::pypi
