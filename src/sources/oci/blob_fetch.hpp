#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/fetch.hpp>
#include <gapbundle/store/store.hpp>

#include <vector>

namespace gapbundle::sources::oci::detail {

// Makes every oci:// artifact present in the store: manifests through the registry client
// (checked against their digests), blobs through the HTTP engine in parallel (resumed, retried,
// each checked against its digest and size). Registry settings and credentials come from the
// manifest. A download refused with 401 (an expired token) is tried once more with fresh tokens.
Result<FetchStats> fetch_registry_artifacts(const std::vector<const manifest::LockedArtifact*>& artifacts,
                                            const manifest::Manifest& manifest, net::HttpEngine& http,
                                            store::Store& store, const net::ProgressCallback& progress);

}  // namespace gapbundle::sources::oci::detail
