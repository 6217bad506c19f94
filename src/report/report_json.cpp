#include <gapbundle/report/report_json.hpp>

#include "index_lookup.hpp"
#include "page_buffer.hpp"

#include <string>
#include <vector>

namespace gapbundle::report {

namespace {

using json = nlohmann::json;

std::string scalar(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string json_string(std::string_view text)
{
    return scalar(json(text));
}

// Prints as json::dump(2) does. A discarded value is a file list left out of the model: fill()
// writes the next one at its place.
class Printer {
public:
    Printer(PageBuffer& out, std::function<void(int indent)> fill) : m_out(out), m_fill(std::move(fill)) {}

    void value(const json& value, int indent)
    {
        if (value.is_discarded()) {
            m_fill(indent);
        } else if (value.is_object() && !value.empty()) {
            m_out += "{";
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                next(indent, first);
                m_out += json_string(key) + ": ";
                this->value(item, indent + 2);
            }
            close('}', indent);
        } else if (value.is_array() && !value.empty()) {
            m_out += "[";
            bool first = true;
            for (const auto& item : value) {
                next(indent, first);
                this->value(item, indent + 2);
            }
            close(']', indent);
        } else {
            m_out += scalar(value);  // also {} and []
        }
    }

    // A list of the objects `each` hands to its callback: "[]" when it hands none.
    template <typename Each>
    void list(int indent, Each&& each)
    {
        bool first = true;
        each([&](const json& object) {
            if (first) m_out += "[";
            next(indent, first);
            value(object, indent + 2);
        });
        if (first)
            m_out += "[]";
        else
            close(']', indent);
    }

private:
    void next(int indent, bool& first)
    {
        m_out += (first ? "\n" : ",\n") + std::string(static_cast<std::size_t>(indent) + 2, ' ');
        first = false;
    }

    void close(char bracket, int indent)
    {
        m_out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + bracket;
    }

    PageBuffer& m_out;
    std::function<void(int indent)> m_fill;
};

}  // namespace

Status write_report_json(const nlohmann::ordered_json& model, const bundle::Index& index,
                         const std::function<Status(std::string_view)>& sink)
{
    // Sorted keys, as every --json output has them. The file lists are marked where they go and
    // listed in the order the printer meets them: the loose "files" ("files" sorts before
    // "kinds"), then each kind's components (the index's components of a kind are in the model's order).
    json sorted = json::parse(model.dump());
    const json left_out(json::value_t::discarded);
    sorted["files"] = left_out;
    std::vector<const bundle::Component*> lists{nullptr};  // nullptr: the loose files
    auto by_kind = components_by_kind(index);
    for (auto& [kind, components] : sorted["kinds"].items()) {
        const auto& held = by_kind[kind];
        for (std::size_t i = 0; i < components.size() && i < held.size(); ++i) {
            components[i]["files"] = left_out;
            lists.push_back(held[i]);
        }
    }

    PageBuffer out(sink);
    const EntriesByPath entries(index.entries);
    std::size_t next_list = 0;
    Printer print(out, [&](int indent) {
        const bundle::Component* component = lists[next_list++];
        print.list(indent, [&](const auto& emit) {
            if (component) {
                for (const auto& path : component->paths)
                    if (const auto* entry = entries.find(path))
                        emit(json{{"path", path}, {"sha256", entry->sha256}, {"size", entry->size}});
                return;
            }
            for_each_loose_file(index, [&](const bundle::Entry& entry) {
                if (entry.type == bundle::EntryType::symlink)
                    emit(json{{"link", entry.link_target}, {"path", entry.path}});
                else
                    emit(json{{"path", entry.path}, {"sha256", entry.sha256}, {"size", entry.size}});
            });
        });
    });
    print.value(sorted, 0);
    out += "\n";
    return out.finish();
}

}  // namespace gapbundle::report
