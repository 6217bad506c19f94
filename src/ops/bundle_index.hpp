#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/util/time.hpp>

#include <cstdint>
#include <memory>

namespace gapbundle::ops {

// Where the bytes of one file entry come from: what its lock artifact said. Kept small, one for
// each of maybe 100,000 files: the URL is not held whole but as a head shared by many entries (a
// local folder, say) and a tail it shares with the entry's own path (PlannedBundle::source_url).
struct EntrySource {
    std::uint32_t url_head = 0;                  // in PlannedBundle::url_heads
    std::uint32_t url_tail = 0;                  // the URL ends with this many bytes of the entry's path
    std::uint32_t origin = 0;                    // in PlannedBundle::origins
    std::unique_ptr<const std::string> content;  // the bytes themselves, for small documents gapbundle writes
};

// Everything writing a bundle needs: the signed index for a lock (its artifacts, the folders above
// them and gapbundle/SHA256SUMS) and, at the same position as each file entry, its source.
struct PlannedBundle {
    bundle::Index index;
    std::vector<EntrySource> sources;  // empty for folders, links and SHA256SUMS
    // The manifest entries that asked for them, for errors ("files[2]"): the artifacts of one
    // entry mostly sit together, so each is here about once.
    std::vector<std::string> origins;
    std::vector<std::string> url_heads;  // each once

    // The lock's URL (a local path, a file:// URL or a remote one) of the file entry at `position`.
    std::string source_url(std::size_t position) const;
};

// Consumes the lock: each artifact's path and digest move into the index and its source into
// `sources`, so that a bundle of 100,000 files holds each string once. `created` is the build
// time; serial and expiry come from the manifest (serial defaults to the build time as
// YYYYMMDDhhmmss).
Result<PlannedBundle> plan_bundle(const manifest::Manifest& manifest, manifest::Lock lock, time::Seconds created);

}  // namespace gapbundle::ops
