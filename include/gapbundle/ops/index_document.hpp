#pragma once

// A bundle's index read from the bundle itself or from its index.json as `gapbundle inspect
// --index` exports it, for commands that compare or build on releases without verifying them.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::ops {

enum class IndexSource { bundle, index_file };

// Whether the document keeps the index's bytes: only to check signatures against keys. Dropped,
// the index is parsed as it is read and its text is never held (14 MB at 66,000 files, twice over
// in a diff).
enum class IndexBytes { drop, keep };

struct IndexDocument {
    bundle::Index index;
    std::string index_sha256;  // of the index.json bytes (as signed, for a bundle)
    IndexSource source = IndexSource::bundle;
    std::string index_bytes;                   // exactly as read, with IndexBytes::keep; else empty
    std::vector<bundle::Signature> signatures;  // a bundle's index.json.sig; none for an index file
};

// An index.json file when it starts with '{' (a tar starts with a file name, a zstd frame with its
// magic number), otherwise a bundle whose head is read. Nothing is verified. Errors keep the code
// of the step that failed (io for a missing file, verification for a malformed bundle or index).
Result<IndexDocument> read_index_document(const std::filesystem::path& path, IndexBytes bytes = IndexBytes::drop);

}  // namespace gapbundle::ops
