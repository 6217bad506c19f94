#include <gapbundle/bundle/sbom.hpp>

#include <gapbundle/util/json_text.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>
#include <utility>

namespace gapbundle::bundle {

namespace {

using nlohmann::json;

constexpr std::string_view k_files_root = "files/";

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// purl spec: each segment, the version and qualifier values are percent-encoded.
using text::percent_encode;

// "a/b/c" with each segment encoded.
std::string encode_segments(std::string_view path)
{
    std::string out;
    for (std::size_t start = 0;;) {
        const auto slash = path.find('/', start);
        out += percent_encode(path.substr(start, slash - start));
        if (slash == std::string_view::npos) return out;
        out += '/';
        start = slash + 1;
    }
}

// An image component's name is the reference as the layout names it: "HOST/REPO:TAG" or
// "HOST/REPO@sha256:…". pkg:oci wants the last repository segment as its name and the rest
// (registry and repository) in repository_url.
std::string oci_purl(const Component& component)
{
    std::string_view reference = component.name;
    std::string tag;
    if (const auto at = reference.find('@'); at != std::string_view::npos) {
        reference = reference.substr(0, at);
    } else if (const auto colon = reference.find(':', reference.rfind('/') + 1); colon != std::string_view::npos) {
        tag = reference.substr(colon + 1);
        reference = reference.substr(0, colon);
    }
    const std::string_view last = reference.substr(reference.rfind('/') + 1);
    std::string purl = "pkg:oci/" + percent_encode(last) + "@" + percent_encode(component.version) +
                       "?repository_url=" + percent_encode(reference, "/:");
    if (!tag.empty()) purl += "&tag=" + percent_encode(tag);
    return purl;
}

// Hugging Face components are named "models/ORG/NAME" (or datasets/, spaces/). The purl type
// describes models; a dataset or space says so through repository_url.
std::string huggingface_purl(const Component& component)
{
    std::string_view name = component.name;
    const auto slash = name.find('/');
    const std::string_view type = slash == std::string_view::npos ? "models" : name.substr(0, slash);
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::string version = component.version;
    std::ranges::transform(version, version.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string purl = "pkg:huggingface/" + encode_segments(name) + "@" + percent_encode(version);
    if (type != "models") purl += "?repository_url=" + percent_encode("https://huggingface.co/" + std::string(type), "/:");
    return purl;
}

std::string component_type(const Component& component)
{
    if (component.kind == "images") return "container";
    if (component.kind == "huggingface")
        return component.name.starts_with("datasets/") ? "data"
               : component.name.starts_with("spaces/") ? "application"
                                                       : "machine-learning-model";
    return "library";
}

std::string bom_ref(const Component& component)
{
    // (kind, name, version) is unique in an index; a purl need not be (two tags of one image).
    return "gapbundle:" + component.kind + "/" + component.name + "@" + component.version;
}

json sha256_hashes(const std::string& sha256)
{
    return json::array({{{"alg", "SHA-256"}, {"content", sha256}}});
}

json component_json(const Component& component, const std::vector<Entry>& entries)
{
    json out = {{"type", component_type(component)},
                {"bom-ref", bom_ref(component)},
                {"name", component.name},
                {"version", component.version},
                {"purl", purl_of(component)}};
    json properties = json::array({{{"name", "gapbundle:kind"}, {"value", component.kind}}});
    for (const auto& requested : component.requested)
        properties.push_back({{"name", "gapbundle:requested"}, {"value", requested}});
    if (component.paths.size() == 1) {
        if (const Entry* entry = find_entry(entries, component.paths.front()))
            out["hashes"] = sha256_hashes(entry->sha256);
        properties.push_back({{"name", "gapbundle:path"}, {"value", component.paths.front()}});
    } else if (!component.paths.empty()) {
        // A model's files or an image's blobs: each a file of its own, hashed.
        json files = json::array();
        for (const auto& path : component.paths) {
            json file = {{"type", "file"}, {"name", path}};
            if (const Entry* entry = find_entry(entries, path)) file["hashes"] = sha256_hashes(entry->sha256);
            files.push_back(std::move(file));
        }
        out["components"] = std::move(files);
    }
    out["properties"] = std::move(properties);
    return out;
}

// The `files:` entry (a component of kind files) that carries `path`, if any.
const Component* files_entry_of(const std::string& path, const std::vector<Component>& sorted_components)
{
    auto it = std::ranges::lower_bound(sorted_components, std::string_view("files"), {},
                                       [](const Component& c) { return std::string_view(c.kind); });
    for (; it != sorted_components.end() && it->kind == "files"; ++it)
        if (std::ranges::binary_search(it->paths, path)) return &*it;
    return nullptr;
}

// A carried file, written as dump() would write its JSON object (keys sorted) without building
// one: an SBOM lists every file, and is written twice (measured and hashed, then streamed).
void append_file_json(std::string& out, const Entry& entry, const std::vector<Component>& components)
{
    const std::string_view below = std::string_view(entry.path).substr(k_files_root.size());
    out += R"({"bom-ref":)";
    json_text::append_string(out, "gapbundle:" + entry.path);
    if (const Component* source = files_entry_of(entry.path, components);
        source && !source->requested.empty() &&
        (source->requested.front().starts_with("https://") || source->requested.front().starts_with("http://"))) {
        out += R"(,"externalReferences":[{"type":"distribution","url":)";
        json_text::append_string(out, source->requested.front());
        out += "}]";
    }
    out += R"(,"hashes":[{"alg":"SHA-256","content":)";
    json_text::append_string(out, entry.sha256);
    out += R"(}],"name":)";
    json_text::append_string(out, entry.path);
    out += R"(,"purl":)";
    json_text::append_string(out, "pkg:generic/" + encode_segments(below) + "?checksum=sha256:" + entry.sha256);
    out += R"(,"type":"file"})";
}

// What the bundle holds, not which build it is: no serial, time or digest of the manifest, so an
// unchanged night writes the same SBOM and a delta (§3.6) need not carry it. The signed index,
// which lists the SBOM's hash, says which build it is.
std::string head_json(const Index& index)
{
    std::string_view version = index.producer;
    if (const auto space = version.rfind(' '); space != std::string_view::npos) version.remove_prefix(space + 1);
    const json tool = {{"type", "application"}, {"name", "gapbundle"}, {"version", version}};
    const json bundle = {{"type", "file"},
                         {"bom-ref", "gapbundle:bundle"},
                         {"name", index.name},
                         {"properties", json::array({{{"name", "gapbundle:channel"}, {"value", channel_of(index)}}})}};
    const json metadata = {{"tools", {{"components", json::array({tool})}}}, {"component", bundle}};
    // No serialNumber either: the schema wants a UUID, and a random one would make two packs of
    // the same content differ.
    return R"({"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":)" + dump(metadata) +
           ",\n\"components\":[";
}

bool is_carried_file(const Entry& entry)
{
    return entry.type == EntryType::file && entry.path.starts_with(k_files_root);
}

// The components `component` depends on, as bom-refs, each once and sorted.
json depends_on(const Component& component, const std::vector<Component>& sorted_components)
{
    std::set<std::string> refs;
    for (const auto& dependency : component.dependencies) {
        const auto it = std::ranges::lower_bound(sorted_components, std::tie(component.kind, dependency.name), {},
                                                 [](const Component& c) { return std::tie(c.kind, c.name); });
        if (it != sorted_components.end() && it->kind == component.kind && it->name == dependency.name)
            refs.insert(bom_ref(*it));
    }
    return json(refs);
}

}  // namespace

std::string purl_of(const Component& component)
{
    if (component.kind == "pip") return "pkg:pypi/" + percent_encode(component.name) + "@" + percent_encode(component.version);
    if (component.kind == "conda") return "pkg:conda/" + percent_encode(component.name) + "@" + percent_encode(component.version);
    if (component.kind == "images") return oci_purl(component);
    if (component.kind == "huggingface") return huggingface_purl(component);
    return "pkg:generic/" + percent_encode(component.kind) + "/" + encode_segments(component.name) + "@" +
           percent_encode(component.version);
}

bool SbomReader::next_piece(std::string& piece)
{
    const Index& index = *m_index;
    const auto separator = [&] { return std::exchange(m_first, false) ? "\n" : ",\n"; };
    for (;;) {
        switch (m_stage) {
        case Stage::head:
            piece = head_json(index);
            m_stage = Stage::components;
            return true;
        case Stage::components:
            // A files entry's files are listed as files, below.
            while (m_next < index.components.size() && index.components[m_next].kind == "files") ++m_next;
            if (m_next < index.components.size()) {
                piece = separator() + dump(component_json(index.components[m_next++], index.entries));
                return true;
            }
            m_stage = Stage::files;
            m_next = 0;
            break;
        case Stage::files:
            while (m_next < index.entries.size() && !is_carried_file(index.entries[m_next])) ++m_next;
            if (m_next < index.entries.size()) {
                piece = separator();
                append_file_json(piece, index.entries[m_next++], index.components);
                return true;
            }
            piece = "\n],\n\"dependencies\":[";
            m_stage = Stage::dependencies;
            m_next = 0;
            m_first = true;
            return true;
        case Stage::dependencies:
            while (m_next < index.components.size() && index.components[m_next].dependencies.empty()) ++m_next;
            if (m_next < index.components.size()) {
                const Component& component = index.components[m_next++];
                const json dependency = {{"ref", bom_ref(component)},
                                         {"dependsOn", depends_on(component, index.components)}};
                piece = separator() + dump(dependency);
                return true;
            }
            m_stage = Stage::tail;
            break;
        case Stage::tail:
            piece = "\n]}\n";
            m_stage = Stage::done;
            return true;
        case Stage::done:
            return false;
        }
    }
}

std::string sbom_text(const Index& index)
{
    std::string out;
    SbomReader reader(index);
    std::byte buffer[16 << 10];
    for (std::size_t n; (n = reader.read(buffer)) > 0;) out.append(reinterpret_cast<const char*>(buffer), n);
    return out;
}

}  // namespace gapbundle::bundle
