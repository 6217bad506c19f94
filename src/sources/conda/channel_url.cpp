#include <gapbundle/sources/conda/channel_client.hpp>

namespace gapbundle::sources::conda {

namespace {

constexpr std::string_view k_default_host = "https://conda.anaconda.org/";

bool has_scheme(std::string_view text)
{
    return text.starts_with("http://") || text.starts_with("https://") || text.starts_with("file://");
}

std::string_view without_trailing_slashes(std::string_view text)
{
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    return text;
}

}  // namespace

std::string channel_url(std::string_view name_or_url)
{
    const auto trimmed = without_trailing_slashes(name_or_url);
    if (has_scheme(trimmed)) return std::string(trimmed);
    return std::string(k_default_host) + std::string(trimmed);
}

std::string channel_name(std::string_view url)
{
    auto path = without_trailing_slashes(url);
    if (const auto scheme = path.find("://"); scheme != std::string_view::npos) path.remove_prefix(scheme + 3);
    const auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace gapbundle::sources::conda
