#include "store_download.hpp"

namespace gapbundle::sources::detail {

std::vector<Result<net::DownloadResult>> download_into_store(std::span<const net::DownloadRequest> requests,
                                                      net::HttpEngine& http, store::Store& store,
                                                      const net::ProgressCallback& progress, FetchStats& stats)
{
    if (requests.empty()) return {};
    auto results = http.download(requests, progress);
    for (std::size_t i = 0; i < results.size() && i < requests.size(); ++i) {
        if (!results[i]) continue;
        if (auto st = store.adopt(requests[i].destination, results[i]->sha256); !st) {
            results[i] = std::unexpected(st.error());
            continue;
        }
        ++stats.downloaded;
        stats.bytes_downloaded += results[i]->bytes;
    }
    return results;
}

std::vector<Result<net::DownloadResult>> download_while_resolving(std::span<const net::DownloadRequest> requests,
                                                                  ResolveContext& context)
{
    FetchStats stats;
    auto outcome = download_into_store(requests, context.http, context.store, context.progress, stats);
    if (context.stats) {
        context.stats->downloaded += stats.downloaded;
        context.stats->bytes_downloaded += stats.bytes_downloaded;
    }
    return outcome;
}

}  // namespace gapbundle::sources::detail
