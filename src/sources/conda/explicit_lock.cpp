#include <gapbundle/sources/conda/explicit_lock.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace gapbundle::sources::conda {

namespace {

// A depends string's package name: its first word, without a "channel::" prefix. Good enough
// here because only names of records in the set count.
std::string depends_name(std::string_view spec)
{
    if (const auto colons = spec.rfind("::"); colons != std::string_view::npos) spec.remove_prefix(colons + 2);
    const auto end = spec.find_first_of(" =<>!~[");
    std::string name(spec.substr(0, end));
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

class TopologicalOrder {
public:
    explicit TopologicalOrder(std::span<const RepodataRecord> records)
    {
        for (const auto& record : records) m_by_name.emplace(record.name, &record);
    }

    std::vector<const RepodataRecord*> run()
    {
        for (const auto& [name, record] : m_by_name) visit(*record);
        return std::move(m_order);
    }

private:
    enum class State { unseen, visiting, done };

    void visit(const RepodataRecord& record)
    {
        State& state = m_state[record.name];
        if (state != State::unseen) return;  // done, or a cycle closing here
        state = State::visiting;
        std::vector<std::string> needed;
        for (const auto& spec : record.depends) needed.push_back(depends_name(spec));
        std::ranges::sort(needed);
        for (const auto& name : needed)
            if (auto it = m_by_name.find(name); it != m_by_name.end()) visit(*it->second);
        m_state[record.name] = State::done;
        m_order.push_back(&record);
    }

    std::map<std::string, const RepodataRecord*> m_by_name;
    std::map<std::string, State> m_state;
    std::vector<const RepodataRecord*> m_order;
};

}  // namespace

std::vector<const RepodataRecord*> install_order(std::span<const RepodataRecord> records)
{
    return TopologicalOrder(records).run();
}

std::string explicit_lock(std::span<const RepodataRecord> records, std::string_view header_comment,
                          const std::function<std::string(const RepodataRecord&)>& location)
{
    std::string out(header_comment);
    out += "@EXPLICIT\n";
    for (const auto* record : install_order(records)) out += location(*record) + "#sha256:" + record->sha256 + "\n";
    return out;
}

}  // namespace gapbundle::sources::conda
