#pragma once

// Reads an OCI image layout for the image archive writer: the named descriptors of index.json,
// and the manifests and indexes below them, each checked against its descriptor.

#include <gapbundle/sources/oci/reference.hpp>
#include <gapbundle/util/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::sources::oci::detail {

// Keys keep the order they were written in, so what is copied from the layout stays as it was.
using Json = nlohmann::ordered_json;

struct BlobDescriptor {
    std::string media_type;  // may be empty for a config or layer that omits it
    std::string digest;      // "sha256:<64 hex>"
    std::uint64_t size = 0;

    [[nodiscard]] std::string hex() const { return digest.substr(digest.find(':') + 1); }
};

// One descriptor of the layout's index.json.
struct LayoutEntry {
    Json json;  // the descriptor as written, annotations included
    BlobDescriptor blob;
    std::optional<Reference> ref;  // from org.opencontainers.image.ref.name
    std::string ref_text;          // the annotation as written, empty when absent
};

// An image manifest's config and layers.
struct ImageManifest {
    BlobDescriptor config;
    std::vector<BlobDescriptor> layers;
};

// `where` names the JSON object in messages ("index.json: manifests[2]").
Result<BlobDescriptor> parse_descriptor(const Json& json, const std::string& where);

class LayoutReader {
public:
    // Reads oci-layout and index.json. ErrorCode::verification names the file at fault.
    static Result<LayoutReader> open(const std::filesystem::path& folder);

    [[nodiscard]] const std::vector<LayoutEntry>& entries() const { return m_entries; }
    [[nodiscard]] const std::filesystem::path& folder() const { return m_folder; }
    [[nodiscard]] std::filesystem::path index_path() const { return m_folder / "index.json"; }
    [[nodiscard]] std::filesystem::path blob_path(const BlobDescriptor& blob) const;

    // The blob's file exists and has the descriptor's size (its content is checked when copied).
    Status check_blob_file(const BlobDescriptor& blob) const;
    // A manifest or index blob, read whole and checked against the descriptor's size and digest.
    Result<std::string> read_json_blob(const BlobDescriptor& blob) const;
    // The children of an image index / manifest list.
    Result<std::vector<BlobDescriptor>> read_index(const BlobDescriptor& blob) const;
    Result<ImageManifest> read_manifest(const BlobDescriptor& blob) const;

private:
    explicit LayoutReader(std::filesystem::path folder) : m_folder(std::move(folder)) {}
    Status read_index_json();

    std::filesystem::path m_folder;
    std::vector<LayoutEntry> m_entries;
};

}  // namespace gapbundle::sources::oci::detail
