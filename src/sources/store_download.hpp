#pragma once

// Downloads into the store: one parallel batch through the HTTP engine, each file adopted into
// the store once its hash checked out. Private to the sources layer.

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/fetch.hpp>
#include <gapbundle/sources/source_kind.hpp>
#include <gapbundle/store/store.hpp>

#include <span>
#include <vector>

namespace gapbundle::sources::detail {

// One entry per request: what arrived (now in the store under its sha256), or why not. What did
// arrive is kept, so that a later run fetches only what failed. Counts the successes in `stats`.
std::vector<Result<net::DownloadResult>> download_into_store(std::span<const net::DownloadRequest> requests,
                                                      net::HttpEngine& http, store::Store& store,
                                                      const net::ProgressCallback& progress, FetchStats& stats);

// The same for a kind that downloads while resolving: counted into context.stats when it has one.
std::vector<Result<net::DownloadResult>> download_while_resolving(std::span<const net::DownloadRequest> requests,
                                                                  ResolveContext& context);

}  // namespace gapbundle::sources::detail
