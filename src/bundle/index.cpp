#include <gapbundle/bundle/index.hpp>

#include <gapbundle/util/json_text.hpp>

#include "components_json.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <set>

namespace gapbundle::bundle {

namespace {

using json_text::append_string;

// Keys in bytewise order: base_path, link, mode, path, sha256, size, type.
void append_entry(std::string& out, const Entry& entry)
{
    out += '{';
    if (entry.from_base()) {
        out += "\"base_path\":";
        append_string(out, entry.path_in_base());
        out += ',';
    }
    if (entry.type == EntryType::symlink) {
        out += "\"link\":";
        append_string(out, entry.link_target);
        out += ',';
    } else {
        out += "\"mode\":" + std::to_string(entry.mode) + ',';
    }
    out += "\"path\":";
    append_string(out, entry.path);
    if (entry.type == EntryType::file) {
        out += ",\"sha256\":";
        append_string(out, entry.sha256);
        out += ",\"size\":" + std::to_string(entry.size);
    }
    out += ",\"type\":\"";
    out += to_string(entry.type);
    out += "\"}";
}

}  // namespace

void Entry::set_path_in_base(std::string_view base)
{
    if (base == path) {
        base_path = BasePath::same;
        link_target.clear();
    } else {
        base_path = BasePath::other;
        link_target = base;
    }
}

std::string_view to_string(EntryType type)
{
    switch (type) {
    case EntryType::file: return "file";
    case EntryType::dir: return "dir";
    case EntryType::symlink: return "symlink";
    }
    return "unknown";
}

std::size_t PieceReader::read(std::span<std::byte> buffer)
{
    std::size_t filled = 0;
    while (filled < buffer.size()) {
        if (m_offset == m_piece.size()) {
            m_piece.clear();
            m_offset = 0;
            if (!next_piece(m_piece)) break;
            continue;
        }
        const std::size_t n = std::min(buffer.size() - filled, m_piece.size() - m_offset);
        std::memcpy(buffer.data() + filled, m_piece.data() + m_offset, n);
        filled += n;
        m_offset += n;
    }
    return filled;
}

// Keys in bytewise order, made a few hundred entries at a time: a bundle of 100,000 entries is
// never held as a JSON tree.
bool CanonicalIndexReader::next_piece(std::string& piece)
{
    constexpr std::size_t k_piece_bytes = 64 << 10;
    const Index& index = *m_index;
    if (!m_started) {
        m_started = true;
        piece = "{";
        if (index.base) {
            piece += "\"base\":{\"channel\":";
            append_string(piece, index.base->channel);
            piece += ",\"index_sha256\":";
            append_string(piece, index.base->index_sha256);
            piece += ",\"serial\":" + std::to_string(index.base->serial) + "},";
        }
        if (index.channel) {
            piece += "\"channel\":";
            append_string(piece, *index.channel);
            piece += ',';
        }
        if (!index.components.empty()) piece += "\"components\":[";
    }
    if (!m_components_done) {
        if (!append_components(piece, k_piece_bytes)) return true;
        m_components_done = true;
        if (!index.components.empty()) piece += "],";
        piece += "\"created\":";
        append_string(piece, index.created);
        piece += ",\"entries\":[";
    }
    for (; m_next_entry < index.entries.size() && piece.size() < k_piece_bytes; ++m_next_entry) {
        if (m_next_entry > 0) piece += ',';
        append_entry(piece, index.entries[m_next_entry]);
    }
    if (m_next_entry < index.entries.size()) return true;
    if (m_finished) return !piece.empty();
    m_finished = true;
    piece += ']';
    if (index.expires) {
        piece += ",\"expires\":";
        append_string(piece, *index.expires);
    }
    piece += ",\"format\":" + std::to_string(index.format);
    piece += ",\"lock_sha256\":";
    append_string(piece, index.lock_sha256);
    piece += ",\"manifest_sha256\":";
    append_string(piece, index.manifest_sha256);
    piece += ",\"name\":";
    append_string(piece, index.name);
    piece += ",\"producer\":";
    append_string(piece, index.producer);
    piece += ",\"serial\":" + std::to_string(index.serial);
    if (!index.volumes.empty()) {
        piece += ",\"volumes\":[";
        for (std::size_t i = 0; i < index.volumes.size(); ++i) {
            if (i > 0) piece += ',';
            piece += "{\"sha256\":";
            append_string(piece, index.volumes[i].sha256);
            piece += ",\"size\":" + std::to_string(index.volumes[i].size) + '}';
        }
        piece += ']';
    }
    piece += '}';
    return true;
}

// The components, a path at a time, until `piece` holds `limit` bytes: a folder's component names
// every file, and is never held whole beside the piece it is written into.
bool CanonicalIndexReader::append_components(std::string& piece, std::size_t limit)
{
    const auto& components = m_index->components;
    for (; m_next_component < components.size(); ++m_next_component) {
        const Component& component = components[m_next_component];
        if (!m_in_paths) {
            if (m_next_component > 0) piece += ',';
            detail::append_component_start(piece, component);
            m_in_paths = true;
            m_next_path = 0;
        }
        for (; m_next_path < component.paths.size(); ++m_next_path) {
            if (piece.size() >= limit) return false;
            if (m_next_path > 0) piece += ',';
            append_string(piece, component.paths[m_next_path]);
        }
        detail::append_component_end(piece, component);
        m_in_paths = false;
    }
    return true;
}

void write_canonical_json(const Index& index, const std::function<void(std::string_view)>& out)
{
    CanonicalIndexReader reader(index);
    std::byte buffer[64 << 10];
    for (std::size_t n; (n = reader.read(buffer)) > 0;) out(std::string_view(reinterpret_cast<const char*>(buffer), n));
}

std::string to_canonical_json(const Index& index)
{
    // Measured first, then written: a big index is held once, not in a string that grew by doubling.
    std::size_t size = 0;
    write_canonical_json(index, [&](std::string_view piece) { size += piece.size(); });
    std::string text;
    text.reserve(size);
    write_canonical_json(index, [&](std::string_view piece) { text += piece; });
    return text;
}

bool Sha256SumsReader::next_piece(std::string& piece)
{
    const auto& entries = *m_entries;
    while (m_next < entries.size() && (entries[m_next].type != EntryType::file || entries[m_next].path == k_sums_path))
        ++m_next;
    if (m_next == entries.size()) return false;
    const Entry& entry = entries[m_next++];
    piece = entry.sha256 + "  " + entry.path + '\n';
    return true;
}

std::string sha256sums_text(const std::vector<Entry>& payload_entries)
{
    std::string out;
    Sha256SumsReader reader(payload_entries);
    std::byte buffer[4096];
    for (std::size_t n; (n = reader.read(buffer)) > 0;) out.append(reinterpret_cast<const char*>(buffer), n);
    return out;
}

std::vector<std::size_t> stream_order(const Index& index)
{
    std::vector<std::size_t> reserved;
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < index.entries.size(); ++i)
        if (!index.entries[i].from_base()) (is_reserved(index.entries[i].path) ? reserved : rest).push_back(i);
    const auto by_path = [&](std::size_t a, std::size_t b) { return index.entries[a].path < index.entries[b].path; };
    std::ranges::stable_sort(reserved, by_path);
    std::ranges::stable_sort(rest, by_path);
    reserved.insert(reserved.end(), rest.begin(), rest.end());
    return reserved;
}

bool is_reserved(std::string_view path)
{
    return path == "gapbundle" || path.starts_with("gapbundle/");
}

const Entry* find_entry(const std::vector<Entry>& sorted_entries, std::string_view path)
{
    const auto it =
        std::ranges::lower_bound(sorted_entries, path, {}, [](const Entry& e) { return std::string_view(e.path); });
    return it != sorted_entries.end() && it->path == path ? &*it : nullptr;
}

void add_parent_dirs(std::vector<Entry>& entries)
{
    std::ranges::sort(entries, {}, &Entry::path);
    const auto present = [&](std::string_view path) { return find_entry(entries, path) != nullptr; };
    // Folders only (a handful), never a set of every path: a bundle may list 100,000 files.
    std::set<std::string, std::less<>> checked;
    std::vector<std::string> missing;
    for (const auto& entry : entries) {
        for (auto slash = entry.path.find('/'); slash != std::string::npos; slash = entry.path.find('/', slash + 1)) {
            const std::string_view parent(entry.path.data(), slash);
            if (checked.contains(parent)) continue;
            checked.emplace(parent);
            if (!present(parent)) missing.emplace_back(parent);
        }
    }
    entries.reserve(entries.size() + missing.size());
    for (auto& folder : missing) {
        Entry dir;
        dir.path = std::move(folder);
        dir.type = EntryType::dir;
        dir.mode = 0755;
        entries.push_back(std::move(dir));
    }
    std::ranges::sort(entries, {}, &Entry::path);
}

}  // namespace gapbundle::bundle
