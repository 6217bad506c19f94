#include <gapbundle/manifest/lock.hpp>

#include "url.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/json_text.hpp>
#include <gapbundle/util/streamed_paths.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <fstream>

#include <algorithm>
#include <tuple>
#include <set>

namespace gapbundle::manifest {

namespace {

using nlohmann::json;

constexpr std::uint64_t k_max_lock_bytes = 1ull << 30;

class LockReader {
public:
    explicit LockReader(const std::filesystem::path& file) : m_file(file.string()) {}

    [[nodiscard]] std::unexpected<Error> error(std::string_view message) const
    {
        return std::unexpected(Error{ErrorCode::manifest, m_file + ": " + std::string(message)});
    }

    // Exactly these keys (and any of `optional`), no more, no fewer.
    Status check_keys(const json& object, std::initializer_list<std::string_view> keys, const std::string& where,
                      std::initializer_list<std::string_view> optional = {}) const
    {
        if (!object.is_object()) return error(where + " must be an object");
        for (const auto& [key, value] : object.items())
            if (std::ranges::find(keys, key) == keys.end() && std::ranges::find(optional, key) == optional.end())
                return error(where + ": unknown key '" + key + "'");
        for (const auto key : keys)
            if (!object.contains(key)) return error(where + ": missing '" + std::string(key) + "'");
        return {};
    }

    Result<std::string> string(const json& object, const char* key, const std::string& where) const
    {
        const auto& value = object.at(key);
        if (!value.is_string() || value.get_ref<const std::string&>().empty())
            return error(where + ": '" + key + "' must be a non-empty string");
        return value.get<std::string>();
    }

    Result<std::uint64_t> unsigned_number(const json& object, const char* key, const std::string& where) const
    {
        const auto& value = object.at(key);
        if (!value.is_number_unsigned()) return error(where + ": '" + key + "' must be an unsigned integer");
        return value.get<std::uint64_t>();
    }

    Result<std::string> sha256(const json& object, const char* key, const std::string& where) const
    {
        auto value = string(object, key, where);
        if (value && !text::is_sha256_hex(*value))
            return error(where + ": '" + key + "' must be 64 lowercase hex digits, got '" + *value + "'");
        return value;
    }

private:
    std::string m_file;
};

Status check_artifact_url(const LockReader& reader, const std::string& text, const std::string& where)
{
    if (text.starts_with("oci://")) {
        if (!parse_oci_url(text)) return reader.error(where + ": malformed oci:// URL '" + text + "'");
        return {};
    }
    const auto scheme = url::scheme(text);
    if (!scheme || (*scheme != "http" && *scheme != "https" && *scheme != "file"))
        return reader.error(where + ": 'url' must be an http://, https:// or file:// URL, got '" +
                            text::redact_url(text) + "'");
    if (url::has_credentials(text))
        return reader.error(where + ": 'url' must not carry credentials: '" + text::redact_url(text) + "'");
    return {};
}

// A link's target: relative, each component a plain name or "..". Whether it stays inside the
// bundle is checked against the whole tree when the bundle is planned.
Status check_link_target(const LockReader& reader, const std::string& target, const std::string& where)
{
    if (target.empty() || target.front() == '/')
        return reader.error(where + ": 'link' must be a relative path, got '" + target + "'");
    for (const auto part : text::split(target, '/')) {
        if (part == "..") continue;
        if (auto st = fs::check_relative_path(part); !st)
            return reader.error(where + ": 'link' '" + target + "': " + st.error().message);
    }
    return {};
}

Result<LockedArtifact> parse_link(const LockReader& reader, const json& item, const std::string& where)
{
    if (auto st = reader.check_keys(item, {"kind", "bundle_path", "link", "origin"}, where); !st)
        return std::unexpected(st.error());
    auto kind = reader.string(item, "kind", where);
    auto bundle_path = reader.string(item, "bundle_path", where);
    auto link = reader.string(item, "link", where);
    auto origin = reader.string(item, "origin", where);
    for (const Error* e : {kind ? nullptr : &kind.error(), bundle_path ? nullptr : &bundle_path.error(),
                           link ? nullptr : &link.error(), origin ? nullptr : &origin.error()})
        if (e) return std::unexpected(*e);
    if (auto st = fs::check_relative_path(*bundle_path); !st) return reader.error(where + ": " + st.error().message);
    if (auto st = check_link_target(reader, *link, where); !st) return std::unexpected(st.error());
    LockedArtifact artifact;
    artifact.kind = *kind;
    artifact.bundle_path = *bundle_path;
    artifact.size = 0;
    artifact.mode = 0;
    artifact.origin = *origin;
    artifact.link = *link;
    return artifact;
}

Result<LockedArtifact> parse_artifact(const LockReader& reader, const json& item, const std::string& where)
{
    if (item.is_object() && item.contains("link")) return parse_link(reader, item, where);
    const bool inline_content = item.is_object() && item.contains("content");
    if (auto st = reader.check_keys(item, {"kind", "bundle_path", inline_content ? "content" : "url", "size", "sha256",
                                           "mode", "origin"},
                                    where);
        !st)
        return std::unexpected(st.error());
    LockedArtifact artifact;
    auto kind = reader.string(item, "kind", where);
    auto bundle_path = reader.string(item, "bundle_path", where);
    auto artifact_url = reader.string(item, inline_content ? "content" : "url", where);
    auto size = reader.unsigned_number(item, "size", where);
    auto sha = reader.sha256(item, "sha256", where);
    auto mode = reader.unsigned_number(item, "mode", where);
    auto origin = reader.string(item, "origin", where);
    for (const Error* e : {kind ? nullptr : &kind.error(), bundle_path ? nullptr : &bundle_path.error(),
                           artifact_url ? nullptr : &artifact_url.error(), size ? nullptr : &size.error(),
                           sha ? nullptr : &sha.error(), mode ? nullptr : &mode.error(), origin ? nullptr : &origin.error()})
        if (e) return std::unexpected(*e);
    if (auto st = fs::check_relative_path(*bundle_path); !st) return reader.error(where + ": " + st.error().message);
    if (*mode > 07777) return reader.error(where + ": 'mode' " + std::to_string(*mode) + " is not a file mode");
    if (inline_content) {
        if (artifact_url->size() != *size || crypto::sha256_hex(*artifact_url) != *sha)
            return reader.error(where + ": 'content' does not match its size and sha256");
        artifact.content = *artifact_url;
    } else {
        // Checked here, but set by ItemTaker::attach_urls once the whole lock is read.
        if (auto st = check_artifact_url(reader, *artifact_url, where); !st) return std::unexpected(st.error());
    }
    artifact.kind = *kind;
    artifact.bundle_path = *bundle_path;
    artifact.size = *size;
    artifact.sha256 = *sha;
    artifact.mode = static_cast<std::uint32_t>(*mode);
    artifact.origin = *origin;
    return artifact;
}

Result<std::vector<std::string>> strings(const LockReader& reader, const json& value, const std::string& where)
{
    if (!value.is_array()) return reader.error(where + " must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string() || item.get_ref<const std::string&>().empty())
            return reader.error(where + " must be a list of non-empty strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// One item of "components". Its paths come apart: the parser takes the strings out of the JSON
// tree as they come (a folder's component lists every file), and what it left in the item's
// "paths" must be an empty list.
Result<Component> parse_component(const LockReader& reader, const json& item, PathList paths,
                                  const std::string& where)
{
    if (auto st = reader.check_keys(item, {"kind", "name", "version", "paths", "requested", "dependencies"}, where,
                                    {"platforms"});
        !st)
        return std::unexpected(st.error());
    Component component;
    auto kind = reader.string(item, "kind", where);
    auto name = reader.string(item, "name", where);
    auto version = reader.string(item, "version", where);
    auto rest = strings(reader, item.at("paths"), where + ": 'paths'");
    if (rest && (!rest->empty() || std::ranges::any_of(paths, [](std::string_view path) { return path.empty(); })))
        rest = reader.error(where + ": 'paths' must be a list of non-empty strings");
    auto requested = strings(reader, item.at("requested"), where + ": 'requested'");
    for (const Error* e : {kind ? nullptr : &kind.error(), name ? nullptr : &name.error(),
                           version ? nullptr : &version.error(), rest ? nullptr : &rest.error(),
                           requested ? nullptr : &requested.error()})
        if (e) return std::unexpected(*e);
    const auto& dependencies = item.at("dependencies");
    if (!dependencies.is_array()) return reader.error(where + ": 'dependencies' must be a list");
    for (std::size_t i = 0; i < dependencies.size(); ++i) {
        const std::string at = where + ": dependencies[" + std::to_string(i) + "]";
        if (auto st = reader.check_keys(dependencies[i], {"name", "requirement"}, at); !st)
            return std::unexpected(st.error());
        auto dependency = reader.string(dependencies[i], "name", at);
        auto requirement = reader.string(dependencies[i], "requirement", at);
        if (!dependency) return std::unexpected(dependency.error());
        if (!requirement) return std::unexpected(requirement.error());
        component.dependencies.push_back({*dependency, *requirement});
    }
    component.kind = *kind;
    component.name = *name;
    component.version = *version;
    component.paths = std::move(paths);
    component.requested = std::move(*requested);
    if (item.contains("platforms")) {
        auto platforms = strings(reader, item.at("platforms"), where + ": 'platforms'");
        if (!platforms) return std::unexpected(platforms.error());
        component.platforms = std::move(*platforms);
    }
    return component;
}

// Every component's paths must be artifacts of the lock.
Status check_component_paths(const LockReader& reader, const std::vector<Component>& components,
                             const std::vector<LockedArtifact>& sorted_artifacts)
{
    for (std::size_t i = 0; i < components.size(); ++i) {
        for (const auto& path : components[i].paths) {
            auto it = std::ranges::lower_bound(sorted_artifacts, path, {}, &LockedArtifact::bundle_path);
            if (it == sorted_artifacts.end() || it->bundle_path != path)
                return reader.error("components[" + std::to_string(i) + "]: '" + std::string(path) +
                                    "' is not an artifact of the lock");
        }
    }
    return {};
}

// The lock's items as the parser finishes each: an artifact or a component becomes its struct at
// once and leaves the JSON tree, so that a lock of 100,000 files costs its artifacts, not a tree
// of maps beside them.
//
// The artifacts' URLs wait in one buffer and become strings only at the end, side by side. Made
// with each artifact, they would sit between the paths and digests that pack keeps for the index
// while it frees the URLs: 128 to 256 bytes freed between every two kept strings, which no page
// of the heap could give back while the index is signed.
class ItemTaker {
public:
    // `artifacts` and `bytes` bound how many artifacts the lock lists and the length of their URLs.
    ItemTaker(const LockReader& reader, Lock& lock, std::size_t artifacts, std::size_t bytes)
        : m_reader(reader), m_lock(lock)
    {
        m_lock.artifacts.reserve(artifacts);
        m_urls.reserve(artifacts, bytes);
    }

    bool operator()(int depth, json::parse_event_t event, json& parsed)
    {
        using Event = json::parse_event_t;
        const bool item_done = event == Event::object_end || event == Event::array_end || event == Event::value;
        if (depth == 1 && event == Event::key) {
            m_key = parsed.get<std::string>();
        } else if (depth == 1 && event == Event::array_start && (m_key == "artifacts" || m_key == "components")) {
            m_list = m_key;
            ++(m_list == "artifacts" ? m_artifact_lists : m_component_lists);
        } else if (depth == 1 && event == Event::array_end) {
            m_list.clear();
        } else if (depth == 2 && item_done && m_list == "artifacts") {
            if (!m_error) take_artifact(parsed);
            m_in_url = false;
            return false;
        } else if (m_list == "artifacts" && depth == 3 && event == Event::key) {
            m_in_url = parsed == "url";
        } else if (m_in_url && depth == 3 && event == Event::value) {
            // Kept in the item too, for parse_artifact to check; JSON's last "url" is the one.
            if (m_urls.size() > m_lock.artifacts.size()) m_urls.pop_back();
            if (!m_error && parsed.is_string()) m_urls.push_back(parsed.get_ref<const std::string&>());
        } else if (depth == 2 && item_done && m_list == "components") {
            PathList paths = m_paths.release();
            if (!m_error) take_component(parsed, std::move(paths));
            return false;
        } else if (m_list == "components" && m_paths.take(depth, event, parsed)) {
            return false;
        }
        return true;
    }

    // Moves each URL from the buffer into its artifact, from the back, giving the buffer's pages
    // back as it empties.
    void attach_urls()
    {
        constexpr std::size_t k_release_every = 4096;
        auto& artifacts = m_lock.artifacts;
        for (std::size_t i = artifacts.size(); i-- > 0;) {
            artifacts[i].url = std::string(m_urls.back());
            m_urls.pop_back();
            if (i % k_release_every == 0) m_urls.release_spare_capacity();
        }
        const PathList spent = std::move(m_urls);
    }

    // The first item that was wrong, or a list given twice.
    [[nodiscard]] std::optional<Error> error() const
    {
        if (m_artifact_lists > 1) return m_reader.error("'artifacts' is given twice").error();
        if (m_component_lists > 1) return m_reader.error("'components' is given twice").error();
        return m_error;
    }

private:
    void take_artifact(const json& item)
    {
        auto& artifacts = m_lock.artifacts;
        const std::string where = "artifacts[" + std::to_string(artifacts.size()) + "]";
        auto artifact = parse_artifact(m_reader, item, where);
        if (!artifact) {
            m_error = artifact.error();
        } else if (!artifacts.empty() && !(artifacts.back().bundle_path < artifact->bundle_path)) {
            m_error = m_reader
                          .error(where + ": bundle_path '" + artifact->bundle_path + "' " +
                                 (artifacts.back().bundle_path == artifact->bundle_path
                                      ? "appears twice"
                                      : "is out of order (artifacts are sorted by bundle_path)"))
                          .error();
        } else {
            if (m_urls.size() == artifacts.size()) m_urls.push_back({});  // a link or inline content
            artifacts.push_back(std::move(*artifact));
        }
    }

    void take_component(const json& item, PathList paths)
    {
        const std::string where = "components[" + std::to_string(m_lock.components.size()) + "]";
        auto component = parse_component(m_reader, item, std::move(paths), where);
        if (component) m_lock.components.push_back(std::move(*component));
        else m_error = component.error();
    }

    const LockReader& m_reader;
    Lock& m_lock;
    std::string m_key;   // the last top-level key
    std::string m_list;  // the top-level list being parsed: "artifacts", "components" or none
    int m_artifact_lists = 0;
    int m_component_lists = 0;
    StreamedPaths m_paths;  // the paths of the component being parsed
    bool m_in_url = false;  // the last key of the artifact being parsed was "url"
    PathList m_urls;        // each artifact's URL, empty for none
    std::optional<Error> m_error;
};

// The rest of the document once its lists were taken: the checks of the whole, in the order they
// always ran, then the first item that was wrong.
Result<Lock> finish_document(const LockReader& reader, const json& document, Lock lock, const ItemTaker& taken)
{
    if (auto st = reader.check_keys(document, {"version", "name", "manifest_sha256", "artifacts"}, "the lock",
                                    {"components"});
        !st)
        return std::unexpected(st.error());
    const auto& version = document.at("version");
    if (!version.is_number_integer() || version.get<long long>() != k_lock_version)
        return reader.error("unsupported lock version " + version.dump() + " (expected " +
                            std::to_string(k_lock_version) + ")");
    auto name = reader.string(document, "name", "the lock");
    if (!name) return std::unexpected(name.error());
    auto manifest_sha = reader.sha256(document, "manifest_sha256", "the lock");
    if (!manifest_sha) return std::unexpected(manifest_sha.error());
    lock.name = *name;
    lock.manifest_sha256 = *manifest_sha;
    if (!document.at("artifacts").is_array()) return reader.error("'artifacts' must be a list");
    if (document.contains("components") && !document.at("components").is_array())
        return reader.error("'components' must be a list");
    if (auto error = taken.error()) return std::unexpected(std::move(*error));
    if (auto st = check_component_paths(reader, lock.components, lock.artifacts); !st) return std::unexpected(st.error());
    return lock;
}

// Counts the artifacts a lock's text lists, to size the list at once: grown by doubling it would be
// held twice for a moment. Only an artifact has a "bundle_path" key, and the pattern cannot occur
// inside a JSON string, whose quotes would be escaped. The text's length bounds its URLs'.
class ArtifactCounter {
public:
    void feed(std::string_view bytes)
    {
        m_bytes += bytes.size();
        // A key split between two pieces is found in the seam: the last bytes of one and the first of the next.
        m_seam.append(bytes.substr(0, std::min(bytes.size(), k_key.size() - 1)));
        count(m_seam);
        count(bytes);
        m_seam.assign(bytes.substr(bytes.size() - std::min(bytes.size(), k_key.size() - 1)));
    }
    [[nodiscard]] std::size_t total() const { return m_count; }
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }

private:
    static constexpr std::string_view k_key = "\"bundle_path\":";
    void count(std::string_view bytes)
    {
        for (auto at = bytes.find(k_key); at != std::string_view::npos; at = bytes.find(k_key, at + 1)) ++m_count;
    }
    std::string m_seam;
    std::size_t m_count = 0;
    std::size_t m_bytes = 0;
};

template <class Input>
Result<Lock> parse_input(Input&& input, const LockReader& reader, std::size_t artifacts, std::size_t bytes)
{
    Lock lock;
    ItemTaker taker(reader, lock, artifacts, bytes);
    json document;
    try {
        document = json::parse(std::forward<Input>(input), std::ref(taker));
    } catch (const json::parse_error& e) {
        std::string why = e.what();
        if (const auto bracket = why.find("] "); why.starts_with("[json.") && bracket != std::string::npos)
            why.erase(0, bracket + 2);
        return reader.error("not valid JSON: " + why);
    }
    if (!taker.error()) taker.attach_urls();
    return finish_document(reader, document, std::move(lock), taker);
}

// One artifact as dump(2) writes its JSON object at the depth of the "artifacts" array (keys
// sorted), without building the object: a lock lists every file, and is written (or hashed) on
// every pack.
void append_artifact(std::string& out, const LockedArtifact& artifact)
{
    bool first = true;
    const auto key = [&](std::string_view name) {
        out += std::exchange(first, false) ? "{\n      \"" : ",\n      \"";
        out += name;
        out += "\": ";
    };
    key("bundle_path");
    json_text::append_string(out, artifact.bundle_path);
    if (artifact.content) {
        key("content");
        json_text::append_string(out, *artifact.content);
    }
    key("kind");
    json_text::append_string(out, artifact.kind);
    if (artifact.link) {
        key("link");
        json_text::append_string(out, *artifact.link);
    } else {
        key("mode");
        out += std::to_string(artifact.mode);
    }
    key("origin");
    json_text::append_string(out, artifact.origin);
    if (!artifact.link) {
        key("sha256");
        json_text::append_string(out, artifact.sha256);
        key("size");
        out += std::to_string(artifact.size);
        if (!artifact.content) {
            key("url");  // credentials never reach the disk, whatever the caller left in
            json_text::append_string(out, url::strip_credentials(artifact.url));
        }
    }
    out += "\n    }";
}

// A list as dump(2) writes it, its "[" after a key on a line indented by `indent`, each item
// written by `write_item` on a line of its own, two spaces deeper.
template <typename Items, typename WriteItem>
void append_list(std::string& out, const Items& items, std::string_view indent, WriteItem write_item)
{
    if (items.empty()) {
        out += "[]";
        return;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "[\n" : ",\n";
        out += indent;
        out += "  ";
        write_item(items[i]);
    }
    out += '\n';
    out += indent;
    out += ']';
}

// One component as dump(2) writes its JSON object at the depth of the "components" array (keys
// sorted), without building the object; `flush` after each path, as a folder's lists every file.
void append_component(std::string& out, const Component& component, const std::function<void()>& flush)
{
    constexpr std::string_view indent = "      ";
    const auto string_item = [&](std::string_view item) {
        json_text::append_string(out, item);
        flush();
    };
    out += "{\n      \"dependencies\": ";
    append_list(out, component.dependencies, indent, [&](const ComponentDependency& dependency) {
        out += "{\n          \"name\": ";
        json_text::append_string(out, dependency.name);
        out += ",\n          \"requirement\": ";
        json_text::append_string(out, dependency.requirement);
        out += "\n        }";
    });
    out += ",\n      \"kind\": ";
    json_text::append_string(out, component.kind);
    out += ",\n      \"name\": ";
    json_text::append_string(out, component.name);
    out += ",\n      \"paths\": ";
    append_list(out, component.paths, indent, string_item);
    if (!component.platforms.empty()) {
        out += ",\n      \"platforms\": ";
        append_list(out, component.platforms, indent, string_item);
    }
    out += ",\n      \"requested\": ";
    append_list(out, component.requested, indent, string_item);
    out += ",\n      \"version\": ";
    json_text::append_string(out, component.version);
    out += "\n    }";
}

}  // namespace

void write_json(const Lock& lock, const std::function<void(std::string_view)>& out)
{
    // The text json::dump(2) gives for the whole document, written an artifact and a path at a
    // time, so that a lock of 100,000 files is never held as a JSON tree nor as one string.
    constexpr std::size_t k_piece_bytes = 64 << 10;
    std::string piece = "{\n  \"artifacts\": ";
    const std::function<void()> flush = [&] {
        if (piece.size() < k_piece_bytes) return;
        out(piece);
        piece.clear();
    };
    piece += lock.artifacts.empty() ? "[]" : "[\n";
    for (std::size_t i = 0; i < lock.artifacts.size(); ++i) {
        piece += "    ";
        append_artifact(piece, lock.artifacts[i]);
        piece += i + 1 < lock.artifacts.size() ? ",\n" : "\n  ]";
        flush();
    }
    if (!lock.components.empty()) {
        piece += ",\n  \"components\": ";
        append_list(piece, lock.components, "  ",
                    [&](const Component& component) { append_component(piece, component, flush); });
    }
    piece += ",\n  \"manifest_sha256\": ";
    json_text::append_string(piece, lock.manifest_sha256);
    piece += ",\n  \"name\": ";
    json_text::append_string(piece, lock.name);
    piece += ",\n  \"version\": ";
    piece += std::to_string(lock.version);
    piece += "\n}\n";
    out(piece);
}

std::string to_json(const Lock& lock)
{
    std::string text;
    write_json(lock, [&](std::string_view piece) { text += piece; });
    return text;
}

std::string to_oci_url(const OciLocation& location)
{
    return "oci://" + location.registry + "/" + location.repository + (location.is_manifest ? "/manifests/" : "/blobs/") +
           location.digest;
}

std::optional<OciLocation> parse_oci_url(std::string_view text)
{
    constexpr std::string_view prefix = "oci://";
    if (!text.starts_with(prefix)) return std::nullopt;
    text.remove_prefix(prefix.size());
    const auto last = text.rfind('/');
    if (last == std::string_view::npos) return std::nullopt;
    const auto digest = text.substr(last + 1);
    if (!digest.starts_with("sha256:") || !text::is_sha256_hex(digest.substr(7))) return std::nullopt;
    text = text.substr(0, last);
    const auto kind_start = text.rfind('/');
    if (kind_start == std::string_view::npos) return std::nullopt;
    const auto kind = text.substr(kind_start + 1);
    if (kind != "manifests" && kind != "blobs") return std::nullopt;
    text = text.substr(0, kind_start);
    const auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
    OciLocation location;
    location.registry = std::string(text.substr(0, slash));
    location.repository = std::string(text.substr(slash + 1));
    location.is_manifest = kind == "manifests";
    location.digest = std::string(digest);
    return location;
}

Result<Lock> parse_lock(std::string_view text, const std::filesystem::path& file)
{
    ArtifactCounter counter;
    counter.feed(text);
    return parse_input(text, LockReader(file), counter.total(), counter.bytes());
}

// Parsed as it is read, not read whole first: the lock of a folder of 100,000 files is 40 MB of text.
Result<Lock> load_lock(const std::filesystem::path& file)
{
    ArtifactCounter counter;
    if (auto st = fs::read_in_pieces(file, k_max_lock_bytes, [&](std::string_view piece) { counter.feed(piece); }); !st)
        return std::unexpected(st.error());
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorCode::io, file.string() + ": cannot open: " + errno_text(errno));
    // The file may change between the two reads: the counts only size what is reserved.
    return parse_input(in, LockReader(file), counter.total(), counter.bytes());
}

Status save_lock(const Lock& lock, const std::filesystem::path& file)
{
    for (std::size_t i = 0; i < lock.artifacts.size(); ++i)
        if (url::has_credentials(lock.artifacts[i].url))
            return fail(ErrorCode::manifest, file.string() + ": artifacts[" + std::to_string(i) + "] (" +
                                                 lock.artifacts[i].origin + "): refusing to write a URL with credentials: " +
                                                 text::redact_url(lock.artifacts[i].url));
    auto out = fs::AtomicFile::create(file);
    if (!out) return std::unexpected(out.error());
    Status written;
    write_json(lock, [&](std::string_view piece) {
        if (written) written = out->write(piece);
    });
    if (!written) return written;
    return out->commit();
}

void normalise(Component& component)
{
    std::ranges::sort(component.requested);
    component.requested.erase(std::ranges::unique(component.requested).begin(), component.requested.end());
    const auto key = [](const ComponentDependency& d) { return std::tie(d.name, d.requirement); };
    std::ranges::sort(component.dependencies, {}, key);
    component.dependencies.erase(std::ranges::unique(component.dependencies, {}, key).begin(),
                                 component.dependencies.end());
    std::ranges::sort(component.platforms);
    component.platforms.erase(std::ranges::unique(component.platforms).begin(), component.platforms.end());
}

}  // namespace gapbundle::manifest
