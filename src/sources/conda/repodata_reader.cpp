#include "repodata_reader.hpp"

#include <nlohmann/json.hpp>

#include <limits>
#include <optional>
#include <utility>

namespace gapbundle::sources::conda {
namespace {

using json = nlohmann::json;

enum class Where { root, info, section, record, list, removed, skip };

// The SAX handler: a stack of where the parser is, the last key at each level that matters,
// and the entry being read. A handler returning false stops the parse (m_error says why).
class RepodataReader {
public:
    bool null() { return value(std::nullopt, std::nullopt); }
    bool boolean(bool /*value*/) { return value(std::nullopt, std::nullopt, true); }
    bool number_integer(json::number_integer_t v)
    {
        return value(std::nullopt, v < 0 ? 0 : static_cast<std::uint64_t>(v));
    }
    bool number_unsigned(json::number_unsigned_t v) { return value(std::nullopt, v); }
    bool number_float(json::number_float_t v, const json::string_t& /*text*/)
    {
        // Clamped: a float past 2^64 converted as it is would be undefined (found by fuzz/conda_parser_fuzzer).
        constexpr auto k_past_max = static_cast<json::number_float_t>(std::numeric_limits<std::uint64_t>::max());
        if (!(v > 0)) return value(std::nullopt, std::uint64_t{0});
        return value(std::nullopt, v >= k_past_max ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(v));
    }
    bool string(json::string_t& v) { return value(std::move(v), std::nullopt); }
    bool binary(json::binary_t& /*value*/) { return value(std::nullopt, std::nullopt, true); }

    bool key(json::string_t& k)
    {
        if (top() != Where::skip && top() != Where::list && top() != Where::removed) m_key = std::move(k);
        return true;
    }

    bool start_object(std::size_t /*elements*/)
    {
        if (m_stack.empty()) return push(Where::root);
        switch (top()) {
            case Where::root:
                if (m_key == "info") return push(Where::info);
                if (m_key == "removed") return stop("'removed' is not a list");
                if (const auto section = section_of(m_key)) {
                    m_section = *section;
                    return push(Where::section);
                }
                return push(Where::skip);
            case Where::section:
                m_record = RawRecord{};
                m_record.filename = m_key;
                return push(Where::record);
            case Where::record:
                if (m_key == "depends" || m_key == "constrains") note("'" + m_key + "' is not a list");
                return push(Where::skip);
            case Where::list:
                note("'" + m_list_field + "' holds a non-string");
                return push(Where::skip);
            case Where::removed:
                return stop("'removed' holds a non-string");
            default:
                return push(Where::skip);
        }
    }

    bool start_array(std::size_t /*elements*/)
    {
        if (m_stack.empty()) return stop("not a JSON object");
        switch (top()) {
            case Where::root:
                if (section_of(m_key)) return stop("'" + m_key + "' is not an object");
                return push(m_key == "removed" ? Where::removed : Where::skip);
            case Where::section:
                add_broken_entry();
                return push(Where::skip);
            case Where::record:
                if (m_key == "depends" || m_key == "constrains" || m_key == "track_features") {
                    m_list_field = m_key;
                    return push(Where::list);
                }
                return push(Where::skip);
            case Where::list:
                note("'" + m_list_field + "' holds a non-string");
                return push(Where::skip);
            case Where::removed:
                return stop("'removed' holds a non-string");
            default:
                return push(Where::skip);
        }
    }

    bool end_object() { return pop(); }
    bool end_array() { return pop(); }

    bool parse_error(std::size_t position, const std::string& /*token*/, const nlohmann::detail::exception& e)
    {
        return stop(position <= 1 ? "not a JSON object"
                                  : "invalid JSON at byte " + std::to_string(position) + ": " + e.what());
    }

    RawRepodata& result() { return m_result; }
    [[nodiscard]] const std::string& error() const { return m_error; }

private:
    enum class Section { conda, tar };

    static std::optional<Section> section_of(const std::string& key)
    {
        if (key == "packages.conda") return Section::conda;
        if (key == "packages") return Section::tar;
        return std::nullopt;
    }

    [[nodiscard]] Where top() const { return m_stack.back(); }
    bool push(Where where)
    {
        m_stack.push_back(where);
        return true;
    }
    bool pop()
    {
        const auto where = m_stack.back();
        m_stack.pop_back();
        if (where == Where::record) finish_record();
        return true;
    }
    bool stop(std::string why)
    {
        m_error = std::move(why);
        return false;
    }
    void note(std::string why)
    {
        if (m_record.error.empty()) m_record.error = std::move(why);
    }

    void finish_record()
    {
        auto& list = m_section == Section::conda ? m_result.conda_packages : m_result.tar_packages;
        list.push_back(std::move(m_record));
        m_record = RawRecord{};
    }
    void add_broken_entry()
    {
        m_record = RawRecord{};
        m_record.filename = m_key;
        m_record.error = "not an object";
        finish_record();
    }

    // A scalar: `text` for strings, `number` for numbers, `other` for booleans and binary.
    bool value(std::optional<std::string> text, std::optional<std::uint64_t> number, bool other = false)
    {
        if (m_stack.empty()) return stop("not a JSON object");
        const bool is_null = !text && !number && !other;
        switch (top()) {
            case Where::root:
                if (section_of(m_key) && !is_null) return stop("'" + m_key + "' is not an object");
                if (m_key == "removed" && !is_null) return stop("'removed' is not a list");
                return true;
            case Where::info:
                if (text && m_key == "subdir") m_result.subdir = std::move(*text);
                if (text && m_key == "base_url") m_result.base_url = std::move(*text);
                return true;
            case Where::section:
                if (!is_null) add_broken_entry();
                return true;
            case Where::record:
                record_value(std::move(text), number, is_null);
                return true;
            case Where::list:
                if (!text) {
                    note("'" + m_list_field + "' holds a non-string");
                } else if (m_list_field == "depends") {
                    m_record.depends.push_back(std::move(*text));
                } else if (m_list_field == "constrains") {
                    m_record.constrains.push_back(std::move(*text));
                } else {
                    m_record.track_features += (m_record.track_features.empty() ? "" : " ") + *text;
                }
                return true;
            case Where::removed:
                if (!text) return stop("'removed' holds a non-string");
                m_result.removed.push_back(std::move(*text));
                return true;
            case Where::skip:
                return true;
        }
        return true;
    }

    void record_value(std::optional<std::string> text, std::optional<std::uint64_t> number, bool is_null)
    {
        auto& r = m_record;
        if (m_key == "depends" || m_key == "constrains") {
            if (!is_null) note("'" + m_key + "' is not a list");
        } else if (number) {
            if (m_key == "build_number") r.build_number = *number;
            if (m_key == "timestamp") r.timestamp = *number;
            if (m_key == "size") r.size = *number;
        } else if (text) {
            if (m_key == "build") r.has_build = true;
            if (auto* field = text_field(r)) *field = std::move(*text);
        }
    }

    // The record's text field the current key names, if any.
    std::string* text_field(RawRecord& r) const
    {
        if (m_key == "name") return &r.name;
        if (m_key == "version") return &r.version;
        if (m_key == "build") return &r.build;
        if (m_key == "sha256") return &r.sha256;
        if (m_key == "md5") return &r.md5;
        if (m_key == "subdir") return &r.subdir;
        if (m_key == "noarch") return &r.noarch;
        if (m_key == "track_features") return &r.track_features;
        return nullptr;
    }

    std::vector<Where> m_stack;
    std::string m_key;
    std::string m_list_field;
    Section m_section = Section::tar;
    RawRecord m_record;
    RawRepodata m_result;
    std::string m_error;
};

}  // namespace

Result<RawRepodata> read_repodata(std::string_view text, std::string_view channel)
{
    RepodataReader reader;
    const bool ok = json::sax_parse(text, &reader);
    if (!ok) {
        const auto& subdir = reader.result().subdir;
        return fail(ErrorCode::download, "repodata for " + std::string(channel) + (subdir.empty() ? "" : "/" + subdir) +
                                             ": " + (reader.error().empty() ? "not a JSON object" : reader.error()));
    }
    return std::move(reader.result());
}

}  // namespace gapbundle::sources::conda
