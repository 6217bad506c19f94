#include <gapbundle/util/streamed_paths.hpp>

#include <utility>

namespace gapbundle {

bool StreamedPaths::take(int depth, nlohmann::json::parse_event_t event, const nlohmann::json& parsed)
{
    using Event = nlohmann::json::parse_event_t;
    if (depth == 3 && event == Event::key) {
        m_in_paths = parsed == "paths";
    } else if (depth == 3 && event == Event::array_end) {
        m_in_paths = false;
    } else if (m_in_paths && depth == 4 && event == Event::value && parsed.is_string()) {
        m_paths.push_back(parsed.get_ref<const std::string&>());
        return true;
    }
    return false;
}

PathList StreamedPaths::release()
{
    m_in_paths = false;
    return std::exchange(m_paths, PathList{});
}

}  // namespace gapbundle
