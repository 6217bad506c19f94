#pragma once

#include <gapbundle/util/error.hpp>
#include <gapbundle/util/path_list.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::bundle {

inline constexpr int k_format_version = 1;
// A delta's index (it names a base, and files the bundle does not carry): readers of format 1
// alone refuse it by its number instead of missing its files.
inline constexpr int k_delta_format_version = 2;
inline constexpr std::string_view k_index_path = "gapbundle/index.json";
inline constexpr std::string_view k_signatures_path = "gapbundle/index.json.sig";
inline constexpr std::string_view k_sums_path = "gapbundle/SHA256SUMS";
// The CycloneDX SBOM pack writes into every bundle (bundle/sbom.hpp); optional for a reader.
inline constexpr std::string_view k_sbom_path = "gapbundle/sbom.cdx.json";
inline constexpr std::uint64_t k_max_index_bytes = 64ull << 20;
// Payload volumes are numbered .001 to .999 (the head is .000).
inline constexpr std::size_t k_max_volumes = 999;

enum class EntryType : std::uint8_t { file, dir, symlink };
std::string_view to_string(EntryType type);

// Where a delta's file is in its base release, if it is one (Entry::path_in_base).
enum class BasePath : std::uint8_t { none, same, other };

// Every command holds one per file (66,000 in the memory test): type, base_path and mode share
// eight bytes, and a file's base path shares the link's string.
struct Entry {
    std::string path;         // relative, '/'-separated
    EntryType type = EntryType::file;
    // Files of a delta only: the base release holds the same bytes, at the same path or at the one
    // in link_target. Such an entry is listed (and signed) but not carried: unpack --store copies
    // it from the base release. Ask from_base() and path_in_base(); set with set_path_in_base().
    BasePath base_path = BasePath::none;
    std::uint32_t mode = 0644;  // 0644 or 0755 for files, 0755 for folders
    std::uint64_t size = 0;   // files only
    std::string sha256;       // files only, lowercase hex
    // Symlinks: the target, relative and inside the tree. A file from the base at another path
    // keeps that path here (a file has no target).
    std::string link_target;

    bool from_base() const { return base_path != BasePath::none; }
    std::string_view path_in_base() const
    {
        return base_path == BasePath::same ? std::string_view(path)
                                           : base_path == BasePath::other ? std::string_view(link_target)
                                                                          : std::string_view();
    }
    void set_path_in_base(std::string_view base);  // files only

    bool operator==(const Entry&) const = default;
};

// One package a resolver chose (a pip project at a version), for audits: which entries hold it,
// which top-level requirements asked for it, and what it required in turn.
struct ComponentDependency {
    std::string name;         // the component it needs (same kind)
    std::string requirement;  // as its metadata writes it: "idna<4,>=2.5; python_version >= \"3\""

    bool operator==(const ComponentDependency&) const = default;
};

struct Component {
    std::string kind;                 // "pip"
    std::string name;                 // canonical
    std::string version;
    PathList paths;                   // file entries holding it, sorted
    std::vector<std::string> requested;  // the manifest's requirement lines that named it, sorted
    std::vector<ComponentDependency> dependencies;  // sorted by name, then requirement
    std::vector<std::string> platforms;  // images: "os/arch[/variant]" the bundle carries, sorted; else empty

    bool operator==(const Component&) const = default;
};

// The release a delta builds on: the gap side must hold it (in its release store) to unpack the delta.
struct BaseRef {
    std::string channel;
    std::uint64_t serial = 0;
    std::string index_sha256;  // of the base bundle's signed index.json

    bool operator==(const BaseRef&) const = default;
};

// One payload volume of a bundle written in volumes (pack --split-size): NAME.001, NAME.002, …
// in order. The first volume, NAME.000, holds only index.json and its signatures.
struct Volume {
    std::uint64_t size = 0;
    std::string sha256;  // of the volume file's bytes, lowercase hex

    bool operator==(const Volume&) const = default;
};

// The signed table of contents. Lists every payload entry and gapbundle/SHA256SUMS
// (not index.json and index.json.sig themselves), sorted by path bytewise.
struct Index {
    int format = k_format_version;
    std::string name;
    // The line of releases the gap side keeps serials for; absent means the name.
    std::optional<std::string> channel;
    std::uint64_t serial = 0;
    std::string created;                 // RFC 3339 UTC
    std::optional<std::string> expires;  // RFC 3339 UTC
    std::string producer;                // "gapbundle 0.1.0"
    std::string manifest_sha256;
    std::string lock_sha256;
    std::vector<Entry> entries;
    std::vector<Component> components;  // sorted by kind, name, version; omitted from the JSON when empty
    std::optional<BaseRef> base;        // set for a delta (pack --base)
    std::vector<Volume> volumes;        // the payload volumes, when written in volumes; omitted when empty

    bool operator==(const Index&) const = default;
};

inline const std::string& channel_of(const Index& index) { return index.channel ? *index.channel : index.name; }

// Canonical JSON: sorted keys, no insignificant whitespace, integers only, UTF-8.
std::string to_canonical_json(const Index& index);
// The same text handed to `out` in pieces of about 64 KiB, for callers that need not hold it whole.
void write_canonical_json(const Index& index, const std::function<void(std::string_view)>& out);

// Text made a piece at a time and read in buffers: each read fills `buffer` with the next bytes
// and returns how many, 0 at the end.
class PieceReader {
public:
    virtual ~PieceReader() = default;
    std::size_t read(std::span<std::byte> buffer);

protected:
    // Appends the next piece to the empty `piece`; false when there is none.
    virtual bool next_piece(std::string& piece) = 0;

private:
    std::string m_piece;       // the piece being read
    std::size_t m_offset = 0;  // how much of it was read
};

// The canonical text read in pieces (to_canonical_json's bytes), so that pack need not hold it
// while writing it.
class CanonicalIndexReader : public PieceReader {
public:
    explicit CanonicalIndexReader(const Index& index) : m_index(&index) {}
    explicit CanonicalIndexReader(Index&&) = delete;  // it reads the index as it goes

private:
    bool next_piece(std::string& piece) override;

    bool append_components(std::string& piece, std::size_t limit);  // true once all are written

    const Index* m_index;
    std::size_t m_next_component = 0;
    std::size_t m_next_path = 0;  // of m_next_component, once its start is written
    bool m_in_paths = false;
    bool m_components_done = false;
    std::size_t m_next_entry = 0;
    bool m_started = false;
    bool m_finished = false;
};
// Parses and validates (format, paths, sorted and unique, field types). `origin` names the source in errors.
Result<Index> parse_index(std::string_view bytes, std::string_view origin = k_index_path);

// The next piece of an index's text (valid until the next call), empty at its end.
using IndexTextSource = std::function<Result<std::string_view>()>;
struct StreamedIndex {
    Index index;
    std::string sha256;  // of the text as read
};
// The same parse and checks over text read piece by piece and never held whole (14 MB at 66,000
// files), for commands that check no signature; the canonical form is compared by digest. A
// source's error is returned as it is. `size_hint` (a tar header's) only sizes the entry list.
Result<StreamedIndex> parse_index_stream(const IndexTextSource& source, std::uint64_t size_hint,
                                         std::string_view origin = k_index_path);

// The order of the index entries in the tar stream, after index.json and index.json.sig:
// the entries under the reserved gapbundle/ folder first (the folder itself, then SHA256SUMS),
// then every other entry by path, bytewise. A delta's entries from the base (from_base()) are
// not in the stream. Returns positions in index.entries.
std::vector<std::size_t> stream_order(const Index& index);

// `gapbundle` and what is below it: the index, its signatures, SHA256SUMS and the SBOM.
bool is_reserved(std::string_view path);

// The entry at `path` in entries sorted by path, or null.
const Entry* find_entry(const std::vector<Entry>& sorted_entries, std::string_view path);

// Adds a dir entry (mode 0755) for every missing parent folder of `entries`, then sorts by path.
void add_parent_dirs(std::vector<Entry>& entries);

// A symlink target is valid when it is relative, its components are safe ('..' allowed) and,
// resolved lexically from the link's folder, it never leaves the tree. With `sorted_entries`
// (sorted by path), every folder it walks through must also be a dir entry there and it must
// end on an entry or on the root. `link_path` is the symlink's own path. Returns a reason.
Status check_symlink_target(std::string_view link_path, std::string_view target,
                            const std::vector<Entry>* sorted_entries = nullptr);

// Pairs of paths that differ only in ASCII letter case (each pair in byte order), at most `limit`,
// from entries sorted by path: on a case-insensitive file system one would land on the other, so
// the verifier refuses them (case_collision) and pack will not write them.
std::vector<std::pair<std::string, std::string>> case_collisions(const std::vector<Entry>& sorted_entries,
                                                                 std::size_t limit);

// sha256sum-format lines ("<hex>  <path>\n") for every file entry except SHA256SUMS itself.
std::string sha256sums_text(const std::vector<Entry>& payload_entries);

// The same text read in pieces, so that it is never held whole (100 bytes a file).
class Sha256SumsReader : public PieceReader {
public:
    explicit Sha256SumsReader(const std::vector<Entry>& payload_entries) : m_entries(&payload_entries) {}
    explicit Sha256SumsReader(std::vector<Entry>&&) = delete;  // it reads the entries as it goes

private:
    bool next_piece(std::string& piece) override;

    const std::vector<Entry>* m_entries;
    std::size_t m_next = 0;  // the next entry to turn into a line
};

}  // namespace gapbundle::bundle
