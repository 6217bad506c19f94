#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/store/store.hpp>

#include <filesystem>
#include <vector>

namespace gapbundle::sources {

struct FetchStats {
    std::size_t downloaded = 0;  // artifacts fetched over the network
    std::size_t cached = 0;      // already in the store
    std::uint64_t bytes_downloaded = 0;
};

// Totals of resolving and then fetching. What resolving downloaded is in the store by the time
// fetching looks, so it was counted there as cached: count it once, as downloaded.
FetchStats combine(const FetchStats& resolved, const FetchStats& fetched);

// Makes every remote (http/https, oci://) artifact present in the store, downloading the missing
// ones in parallel, each checked against its locked sha256 and size. file:// artifacts are left
// where they are (pack reads and checks them), inline ones are in the lock. Registry settings and
// credentials come from `manifest`. Fails with the first error, naming origin and URL.
Result<FetchStats> fetch_artifacts(const std::vector<manifest::LockedArtifact>& artifacts,
                                   const manifest::Manifest& manifest, net::HttpEngine& http, store::Store& store,
                                   const net::ProgressCallback& progress = {});

// Where pack reads the bytes of an artifact locked with this url and sha256: the store blob, or
// the local file of a file:// URL (not for inline content).
std::filesystem::path artifact_source_path(std::string_view url, const std::string& sha256, const store::Store& store);

}  // namespace gapbundle::sources
