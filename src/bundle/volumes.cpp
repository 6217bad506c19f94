#include <gapbundle/bundle/volumes.hpp>

#include <cstdio>
#include <string>

namespace gapbundle::bundle {

std::filesystem::path volume_path(const std::filesystem::path& bundle, std::size_t number)
{
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ".%03zu", number % 1000);
    return std::filesystem::path(bundle.string() + suffix);
}

std::optional<std::size_t> volume_number_of(const std::filesystem::path& path)
{
    const std::string name = path.filename().string();
    if (name.size() < 5 || name[name.size() - 4] != '.') return std::nullopt;
    std::size_t number = 0;
    for (std::size_t i = name.size() - 3; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
        number = number * 10 + static_cast<std::size_t>(name[i] - '0');
    }
    return number;
}

std::optional<std::filesystem::path> volume_set_of(const std::filesystem::path& first_volume)
{
    if (volume_number_of(first_volume) != 0) return std::nullopt;
    const std::string text = first_volume.string();
    return std::filesystem::path(text.substr(0, text.size() - 4));
}

}  // namespace gapbundle::bundle
