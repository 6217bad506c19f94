// parse_index: strict validation of the signed table of contents.

#include <gapbundle/bundle/index.hpp>

#include "components_json.hpp"
#include "index_text_stream.hpp"
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/streamed_paths.hpp>
#include <gapbundle/util/text.hpp>
#include <gapbundle/util/time.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <istream>
#include <optional>

namespace gapbundle::bundle {

namespace {

using nlohmann::json;

class Context {
public:
    explicit Context(std::string_view origin) : m_origin(origin) {}
    [[nodiscard]] std::unexpected<Error> bad(std::string_view where, std::string_view why) const
    {
        std::string message = m_origin;
        if (!where.empty()) message += ": " + std::string(where);
        return fail(ErrorCode::verification, message + ": " + std::string(why));
    }

private:
    std::string m_origin;
};

Status check_keys(const json& object, std::initializer_list<std::string_view> required,
                  std::initializer_list<std::string_view> optional, const Context& ctx, std::string_view where)
{
    for (const auto& [key, value] : object.items()) {
        const auto known = [&](std::initializer_list<std::string_view> keys) {
            return std::ranges::find(keys, std::string_view(key)) != keys.end();
        };
        if (!known(required) && !known(optional)) return ctx.bad(where, "unknown key '" + key + "'");
    }
    for (auto key : required)
        if (!object.contains(key)) return ctx.bad(where, "missing key '" + std::string(key) + "'");
    return {};
}

Result<std::string> get_string(const json& object, std::string_view key, const Context& ctx, std::string_view where)
{
    const auto& value = object.at(key);
    if (!value.is_string()) return ctx.bad(where, "'" + std::string(key) + "' must be a string");
    return value.get<std::string>();
}

Result<std::uint64_t> get_uint(const json& object, std::string_view key, const Context& ctx, std::string_view where)
{
    const auto& value = object.at(key);
    if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
        return ctx.bad(where, "'" + std::string(key) + "' must be a non-negative integer");
    return value.get<std::uint64_t>();
}

Result<std::string> get_sha256(const json& object, std::string_view key, const Context& ctx, std::string_view where)
{
    auto value = get_string(object, key, ctx, where);
    if (value && !text::is_sha256_hex(*value))
        return ctx.bad(where, "'" + std::string(key) + "' must be 64 lowercase hex digits");
    return value;
}

Result<std::string> get_time(const json& object, std::string_view key, const Context& ctx)
{
    auto value = get_string(object, key, ctx, "");
    if (value && !time::parse_rfc3339(*value)) return ctx.bad("", "'" + std::string(key) + "' is not an RFC 3339 time");
    return value;
}

Status parse_entry_fields(const json& item, Entry& entry, const Context& ctx, const std::string& where)
{
    if (entry.type == EntryType::symlink) {
        if (auto st = check_keys(item, {"path", "type", "link"}, {}, ctx, where); !st) return st;
        auto link = get_string(item, "link", ctx, where);
        if (!link) return std::unexpected(link.error());
        entry.link_target = *link;
        return {};
    }
    if (entry.type == EntryType::dir) {
        if (auto st = check_keys(item, {"path", "type", "mode"}, {}, ctx, where); !st) return st;
    } else {
        if (auto st = check_keys(item, {"path", "type", "mode", "size", "sha256"}, {"base_path"}, ctx, where); !st)
            return st;
        if (item.contains("base_path")) {
            auto base_path = get_string(item, "base_path", ctx, where);
            if (!base_path) return std::unexpected(base_path.error());
            if (auto st = fs::check_relative_path(*base_path); !st) return ctx.bad(where, "base_path: " + st.error().message);
            entry.set_path_in_base(*base_path);
        }
        auto size = get_uint(item, "size", ctx, where);
        if (!size) return std::unexpected(size.error());
        auto sha = get_sha256(item, "sha256", ctx, where);
        if (!sha) return std::unexpected(sha.error());
        entry.size = *size;
        entry.sha256 = *sha;
    }
    auto mode = get_uint(item, "mode", ctx, where);
    if (!mode) return std::unexpected(mode.error());
    const bool allowed = entry.type == EntryType::dir ? *mode == 0755 : (*mode == 0644 || *mode == 0755);
    if (!allowed) return ctx.bad(where, "mode " + std::to_string(*mode) + " is not allowed");
    entry.mode = static_cast<std::uint32_t>(*mode);
    return {};
}

Result<Entry> parse_entry(const json& item, std::size_t position, const Context& ctx)
{
    std::string where = "entries[" + std::to_string(position) + "]";
    if (!item.is_object()) return ctx.bad(where, "must be an object");
    if (!item.contains("path") || !item.contains("type")) return ctx.bad(where, "needs 'path' and 'type'");
    auto path = get_string(item, "path", ctx, where);
    if (!path) return std::unexpected(path.error());
    where += " (" + *path + ")";
    if (auto st = fs::check_relative_path(*path); !st) return ctx.bad(where, st.error().message);
    auto type = get_string(item, "type", ctx, where);
    if (!type) return std::unexpected(type.error());
    Entry entry;
    entry.path = *path;
    if (*type == "file") entry.type = EntryType::file;
    else if (*type == "dir") entry.type = EntryType::dir;
    else if (*type == "symlink") entry.type = EntryType::symlink;
    else return ctx.bad(where, "unknown type '" + *type + "'");
    if (entry.type == EntryType::dir) entry.mode = 0755;
    if (auto st = parse_entry_fields(item, entry, ctx, where); !st) return std::unexpected(st.error());
    return entry;
}

Status check_tree(const std::vector<Entry>& entries, const Context& ctx)
{
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        const std::string where = "entries[" + std::to_string(i) + "] (" + entry.path + ")";
        if (i > 0 && entries[i - 1].path >= entry.path)
            return ctx.bad(where, entries[i - 1].path == entry.path ? "duplicate path" : "entries are not sorted by path");
        if (entry.path == k_index_path || entry.path == k_signatures_path)
            return ctx.bad(where, "the index must not list itself or its signatures");
        if (entry.path.starts_with("gapbundle/") && entry.path != k_sums_path && entry.path != k_sbom_path)
            return ctx.bad(where, "reserved path");
        if ((entry.path == "gapbundle" && entry.type != EntryType::dir) ||
            ((entry.path == k_sums_path || entry.path == k_sbom_path) && entry.type != EntryType::file))
            return ctx.bad(where, "reserved path has the wrong type");
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        const std::string where = "entries[" + std::to_string(i) + "] (" + entry.path + ")";
        if (const auto slash = entry.path.rfind('/'); slash != std::string::npos) {
            const Entry* parent = find_entry(entries, std::string_view(entry.path).substr(0, slash));
            if (!parent || parent->type != EntryType::dir)
                return ctx.bad(where, "its parent folder is not a dir entry of the index");
        }
        if (entry.type == EntryType::symlink) {
            if (auto st = check_symlink_target(entry.path, entry.link_target, &entries); !st)
                return ctx.bad(where, st.error().message);
        }
    }
    return {};
}

Status parse_volumes(const json& list, Index& index, const Context& ctx)
{
    if (!list.is_array() || list.empty()) return ctx.bad("volumes", "must be a non-empty list");
    if (list.size() > k_max_volumes)
        return ctx.bad("volumes", "more than " + std::to_string(k_max_volumes) + " volumes");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "volumes[" + std::to_string(i) + "]";
        const auto& item = list[i];
        if (!item.is_object()) return ctx.bad(where, "must be an object");
        if (auto st = check_keys(item, {"sha256", "size"}, {}, ctx, where); !st) return st;
        auto size = get_uint(item, "size", ctx, where);
        if (!size) return std::unexpected(size.error());
        auto sha = get_sha256(item, "sha256", ctx, where);
        if (!sha) return std::unexpected(sha.error());
        if (*size == 0) return ctx.bad(where, "a volume cannot be empty");
        index.volumes.push_back(Volume{*size, *sha});
    }
    return {};
}

Status parse_header_fields(const json& doc, Index& index, const Context& ctx)
{
    if (auto st = check_keys(doc, {"format", "name", "serial", "created", "producer", "manifest_sha256", "lock_sha256",
                                   "entries"},
                             {"channel", "expires", "components", "base", "volumes"}, ctx, "");
        !st)
        return st;
    auto format = get_uint(doc, "format", ctx, "");
    if (!format) return std::unexpected(format.error());
    if (*format != static_cast<std::uint64_t>(k_format_version) && *format != static_cast<std::uint64_t>(k_delta_format_version))
        return ctx.bad("", "unsupported format " + std::to_string(*format) + " (this gapbundle reads formats " +
                               std::to_string(k_format_version) + " and " + std::to_string(k_delta_format_version) + ")");
    index.format = static_cast<int>(*format);
    if ((index.format == k_delta_format_version) != doc.contains("base"))
        return ctx.bad("", index.format == k_delta_format_version ? "format 2 (a delta) must name its base"
                                                                  : "'base' needs format 2 (a delta)");
    auto name = get_string(doc, "name", ctx, "");
    auto serial = get_uint(doc, "serial", ctx, "");
    auto created = get_time(doc, "created", ctx);
    auto producer = get_string(doc, "producer", ctx, "");
    auto manifest = get_sha256(doc, "manifest_sha256", ctx, "");
    auto lock = get_sha256(doc, "lock_sha256", ctx, "");
    for (const auto* error : {name ? nullptr : &name.error(), serial ? nullptr : &serial.error(),
                              created ? nullptr : &created.error(), producer ? nullptr : &producer.error(),
                              manifest ? nullptr : &manifest.error(), lock ? nullptr : &lock.error()})
        if (error) return std::unexpected(*error);
    if (name->empty()) return ctx.bad("", "'name' is empty");
    index.name = *name;
    index.serial = *serial;
    index.created = *created;
    index.producer = *producer;
    index.manifest_sha256 = *manifest;
    index.lock_sha256 = *lock;
    if (!text::is_safe_name(index.name)) return ctx.bad("", "'name' must be letters, digits, '.', '_' and '-'");
    if (doc.contains("channel")) {
        auto channel = get_string(doc, "channel", ctx, "");
        if (!channel) return std::unexpected(channel.error());
        if (!text::is_safe_name(*channel)) return ctx.bad("", "'channel' must be letters, digits, '.', '_' and '-'");
        index.channel = *channel;
    }
    if (doc.contains("expires")) {
        auto expires = get_time(doc, "expires", ctx);
        if (!expires) return std::unexpected(expires.error());
        index.expires = *expires;
    }
    if (doc.contains("base")) {
        const auto& base = doc.at("base");
        if (!base.is_object()) return ctx.bad("base", "must be an object");
        if (auto st = check_keys(base, {"channel", "serial", "index_sha256"}, {}, ctx, "base"); !st) return st;
        auto base_channel = get_string(base, "channel", ctx, "base");
        auto base_serial = get_uint(base, "serial", ctx, "base");
        auto base_sha = get_sha256(base, "index_sha256", ctx, "base");
        for (const auto* error : {base_channel ? nullptr : &base_channel.error(),
                                  base_serial ? nullptr : &base_serial.error(), base_sha ? nullptr : &base_sha.error()})
            if (error) return std::unexpected(*error);
        if (*base_channel != channel_of(index))
            return ctx.bad("base", "channel '" + *base_channel + "' is not the bundle's own");
        if (*base_serial >= index.serial)
            return ctx.bad("base", "serial " + std::to_string(*base_serial) + " is not older than the bundle's");
        index.base = BaseRef{*base_channel, *base_serial, *base_sha};
    }
    if (doc.contains("volumes")) return parse_volumes(doc.at("volumes"), index, ctx);
    return {};
}

}  // namespace

Status check_symlink_target(std::string_view link_path, std::string_view target,
                            const std::vector<Entry>* sorted_entries)
{
    const auto bad = [&](std::string_view why) {
        return fail(ErrorCode::verification, "symlink target '" + std::string(target) + "' " + std::string(why));
    };
    if (target.empty()) return bad("is empty");
    if (target.front() == '/') return bad("is absolute");
    std::vector<std::string_view> at = text::split(link_path, '/');
    at.pop_back();  // resolve from the link's folder
    const auto parts = text::split(target, '/');
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto part = parts[i];
        if (part == "..") {
            if (at.empty()) return bad("leaves the tree");
            at.pop_back();
        } else if (auto st = fs::check_relative_path(part); !st) {
            return bad("has an unsafe component: " + st.error().message);
        } else {
            at.push_back(part);
        }
        if (!sorted_entries || at.empty()) continue;
        std::string joined;
        for (auto piece : at) joined += (joined.empty() ? "" : "/") + std::string(piece);
        const Entry* hop = find_entry(*sorted_entries, joined);
        const bool last = i + 1 == parts.size();
        if (!hop) return bad(last ? "names no entry of the bundle" : "walks through '" + joined + "', not a folder of the bundle");
        if (!last && hop->type != EntryType::dir) return bad("walks through '" + joined + "', which is not a folder");
    }
    return {};
}

namespace {

// Only entries have a "type" key, and the pattern cannot occur inside a JSON string (its quotes
// would be escaped): the count sizes the entries at once instead of doubling through a copy.
std::size_t count_entries(std::string_view bytes)
{
    constexpr std::string_view key = "\"type\":\"";
    std::size_t count = 0;
    for (auto at = bytes.find(key); at != std::string_view::npos; at = bytes.find(key, at + key.size())) ++count;
    return count;
}

// The shortest entry a canonical index can hold, `{"mode":493,"path":"a","type":"dir"},`: a text of
// n bytes holds at most n / this many.
constexpr std::uint64_t k_min_entry_bytes = 37;

// Everything parse_index checks but the size and the canonical form. `input` is what
// nlohmann::json::parse reads: the text whole, or a stream of it.
template <class Input>
Result<Index> parse_index_text(Input&& input, std::size_t entries_at_most, std::string_view origin)
{
    const Context ctx(origin);
    // Each item of "entries" becomes an Entry as soon as it is parsed and is then dropped from the
    // JSON tree, so a big index costs its compact entries, not a tree of maps (about 2 KB an entry).
    // So does each item of "components", whose paths are taken out as they come: a folder's
    // component lists every file.
    Index index;
    index.entries.reserve(entries_at_most);
    std::optional<Error> entry_error;
    std::optional<Error> component_error;
    std::string_view list;  // the top-level list being parsed: "entries", "components" or none
    std::string last_key;
    int entries_lists = 0;
    int components_lists = 0;
    StreamedPaths paths;  // the paths of the component being parsed
    const auto take_item = [&](int depth, json::parse_event_t event, json& parsed) {
        using Event = json::parse_event_t;
        const bool item_done = event == Event::object_end || event == Event::array_end || event == Event::value;
        if (depth == 1 && event == Event::key) {
            last_key = parsed.get<std::string>();
        } else if (depth == 1 && event == Event::array_start && (last_key == "entries" || last_key == "components")) {
            list = last_key == "entries" ? "entries" : "components";
            ++(list == "entries" ? entries_lists : components_lists);
        } else if (depth == 1 && event == Event::array_end) {
            list = {};
        } else if (depth == 2 && item_done && list == "entries") {
            if (entry_error) return false;
            auto entry = parse_entry(parsed, index.entries.size(), ctx);
            if (entry) index.entries.push_back(std::move(*entry));
            else entry_error = entry.error();
            return false;
        } else if (depth == 2 && item_done && list == "components") {
            PathList taken = paths.release();
            if (component_error) return false;
            auto component = detail::parse_component(parsed, std::move(taken), index.components.size(), origin);
            if (component) index.components.push_back(std::move(*component));
            else component_error = component.error();
            return false;
        } else if (list == "components" && paths.take(depth, event, parsed)) {
            return false;
        }
        return true;
    };
    json doc;
    try {
        doc = json::parse(std::forward<Input>(input), take_item);
    } catch (const json::exception& e) {
        return ctx.bad("", std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) return ctx.bad("", "must be a JSON object");
    if (auto st = parse_header_fields(doc, index, ctx); !st) return std::unexpected(st.error());
    if (!doc.at("entries").is_array() || entries_lists != 1) return ctx.bad("", "'entries' must be a list");
    if (entry_error) return std::unexpected(*entry_error);
    if (auto st = check_tree(index.entries, ctx); !st) return std::unexpected(st.error());
    if (!index.base)
        for (std::size_t i = 0; i < index.entries.size(); ++i)
            if (index.entries[i].from_base())
                return ctx.bad("entries[" + std::to_string(i) + "] (" + index.entries[i].path + ")",
                               "has a base_path, but the bundle names no base");
    if (doc.contains("components")) {
        if (!doc.at("components").is_array() || components_lists != 1) return ctx.bad("components", "must be a list");
        if (component_error) return std::unexpected(*component_error);
        if (auto st = detail::check_components(index.components, index.entries, origin); !st)
            return std::unexpected(st.error());
    }
    return index;
}

}  // namespace

Result<Index> parse_index(std::string_view bytes, std::string_view origin)
{
    const Context ctx(origin);
    if (bytes.size() > k_max_index_bytes)
        return ctx.bad("", "larger than " + std::to_string(k_max_index_bytes) + " bytes");
    auto index = parse_index_text(bytes, count_entries(bytes), origin);
    if (!index) return index;
    // Canonical form, compared piece by piece with what was signed rather than rebuilt whole.
    std::size_t at = 0;
    bool canonical = true;
    write_canonical_json(*index, [&](std::string_view piece) {
        canonical = canonical && bytes.substr(at, piece.size()) == piece;
        at += piece.size();
    });
    if (!canonical || at != bytes.size()) return ctx.bad("", "not in canonical form");
    return index;
}

Result<StreamedIndex> parse_index_stream(const IndexTextSource& source, std::uint64_t size_hint, std::string_view origin)
{
    const Context ctx(origin);
    detail::IndexTextStream text(source, k_max_index_bytes);
    std::istream stream(&text);
    // Reserved for the most entries the text can hold: the pages no entry reaches are address
    // space, never memory, where a list that grew by doubling would hold two copies at once.
    auto index = parse_index_text(stream, std::min(size_hint, k_max_index_bytes) / k_min_entry_bytes, origin);
    // The text ended early: that, not the JSON it cut short.
    if (text.error()) return std::unexpected(*text.error());
    if (text.over_cap()) return ctx.bad("", "larger than " + std::to_string(k_max_index_bytes) + " bytes");
    if (!index) return std::unexpected(index.error());
    // Canonical form: the canonical text of what was parsed must be the text read, digest for digest.
    StreamedIndex streamed{std::move(*index), text.finish_hex()};
    crypto::Sha256 canonical;
    std::uint64_t canonical_bytes = 0;
    write_canonical_json(streamed.index, [&](std::string_view piece) {
        canonical.update(piece);
        canonical_bytes += piece.size();
    });
    if (canonical_bytes != text.bytes() || canonical.finish_hex() != streamed.sha256)
        return ctx.bad("", "not in canonical form");
    return streamed;
}

}  // namespace gapbundle::bundle
