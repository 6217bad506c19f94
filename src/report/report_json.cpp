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

std::string quoted(std::string_view text)
{
    return scalar(json(text));
}

// Prints as json::dump(2) does, from `indent` on.
class Printer {
public:
    explicit Printer(PageBuffer& out) : m_out(out) {}

    void value(const json& value, int indent)
    {
        if (value.is_object()) {
            if (value.empty()) {
                m_out += "{}";
                return;
            }
            open('{');
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                member(key, indent, first);
                this->value(item, indent + 2);
            }
            close('}', indent);
        } else if (value.is_array()) {
            if (value.empty()) {
                m_out += "[]";
                return;
            }
            open('[');
            bool first = true;
            for (const auto& item : value) {
                element(indent, first);
                this->value(item, indent + 2);
            }
            close(']', indent);
        } else {
            m_out += scalar(value);
        }
    }

    void open(char bracket) { m_out += std::string_view(&bracket, 1); }
    void close(char bracket, int indent)
    {
        m_out += "\n" + std::string(static_cast<std::size_t>(indent), ' ') + bracket;
    }
    void member(std::string_view key, int indent, bool& first)
    {
        m_out += (first ? "\n" : ",\n") + std::string(static_cast<std::size_t>(indent) + 2, ' ') + quoted(key) + ": ";
        first = false;
    }
    void element(int indent, bool& first)
    {
        m_out += (first ? "\n" : ",\n") + std::string(static_cast<std::size_t>(indent) + 2, ' ');
        first = false;
    }

    // A list of the objects `each` hands to its callback: "[]" when it hands none.
    template <typename Each>
    void list(int indent, Each&& each)
    {
        bool any = false;
        each([&](const json& object) {
            if (!any) open('[');
            bool first = !any;
            element(indent, first);
            any = true;
            value(object, indent + 2);
        });
        if (any)
            close(']', indent);
        else
            m_out += "[]";
    }

private:
    PageBuffer& m_out;
};

}  // namespace

Status write_report_json(const nlohmann::ordered_json& model, const bundle::Index& index,
                         const std::function<Status(std::string_view)>& sink)
{
    PageBuffer out(sink);
    Printer print(out);
    const EntriesByPath entries(index.entries);
    auto by_kind = components_by_kind(index);
    const auto component_files = [&](const bundle::Component& component, int indent) {
        print.list(indent, [&](const auto& emit) {
            for (const auto& path : component.paths)
                if (const auto* entry = entries.find(path))
                    emit(json{{"path", path}, {"sha256", entry->sha256}, {"size", entry->size}});
        });
    };
    const auto loose_files = [&](int indent) {
        print.list(indent, [&](const auto& emit) {
            for_each_loose_file(index, [&](const bundle::Entry& entry) {
                if (entry.type == bundle::EntryType::symlink)
                    emit(json{{"link", entry.link_target}, {"path", entry.path}});
                else
                    emit(json{{"path", entry.path}, {"sha256", entry.sha256}, {"size", entry.size}});
            });
        });
    };

    // Sorted keys, as every --json output has them; "files" joins them at its place.
    json sorted = json::parse(model.dump());
    sorted["files"] = nullptr;
    for (auto& [kind, components] : sorted["kinds"].items())
        for (auto& component : components) component["files"] = nullptr;

    print.open('{');
    bool first = true;
    for (const auto& [key, value] : sorted.items()) {
        print.member(key, 0, first);
        if (key == "files") {
            loose_files(2);
        } else if (key == "kinds" && !value.empty()) {
            print.open('{');
            bool first_kind = true;
            for (const auto& [kind, components] : value.items()) {
                print.member(kind, 2, first_kind);
                const auto& held = by_kind[kind];
                if (components.empty()) {
                    out += "[]";
                    continue;
                }
                print.open('[');
                bool first_component = true;
                for (std::size_t i = 0; i < components.size(); ++i) {
                    print.element(4, first_component);
                    print.open('{');
                    bool first_member = true;
                    for (const auto& [name, item] : components[i].items()) {
                        print.member(name, 6, first_member);
                        if (name == "files" && i < held.size())
                            component_files(*held[i], 8);
                        else
                            print.value(item, 8);
                    }
                    print.close('}', 6);
                }
                print.close(']', 4);
            }
            print.close('}', 2);
        } else {
            print.value(value, 2);
        }
    }
    print.close('}', 0);
    out += "\n";
    return out.finish();
}

}  // namespace gapbundle::report
