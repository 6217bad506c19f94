#include <gapbundle/bundle/index.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace gapbundle::bundle {

namespace {

bool has_upper(std::string_view path)
{
    return std::ranges::any_of(path, [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string fold(std::string_view path)
{
    std::string out(path);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> case_collisions(const std::vector<Entry>& sorted_entries,
                                                                 std::size_t limit)
{
    // Two paths that fold alike differ, so one of them has an upper-case letter: only those are
    // folded and remembered (a bundle may list 100,000 lower-case paths).
    std::vector<std::pair<std::string, std::string>> found;
    std::unordered_map<std::string, std::string_view> upper_by_fold;
    const auto add = [&](std::string_view a, std::string_view b) {
        if (found.size() < limit) found.emplace_back(std::min(a, b), std::max(a, b));
    };
    for (const auto& entry : sorted_entries) {
        if (!has_upper(entry.path)) continue;
        auto folded = fold(entry.path);
        const auto lower = std::ranges::lower_bound(sorted_entries, folded, {},
                                                    [](const Entry& e) { return std::string_view(e.path); });
        if (lower != sorted_entries.end() && lower->path == folded) add(lower->path, entry.path);
        const auto [at, fresh] = upper_by_fold.try_emplace(std::move(folded), entry.path);
        if (!fresh) add(at->second, entry.path);
    }
    std::ranges::sort(found);
    return found;
}

}  // namespace gapbundle::bundle
