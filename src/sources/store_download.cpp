#include "store_download.hpp"

namespace gapbundle::sources::detail {

std::vector<std::optional<Error>> download_into_store(std::span<const net::DownloadRequest> requests,
                                                      net::HttpEngine& http, store::Store& store,
                                                      const net::ProgressCallback& progress, FetchStats& stats)
{
    std::vector<std::optional<Error>> outcome(requests.size());
    if (requests.empty()) return outcome;
    auto results = http.download(requests, progress);
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i]) {
            outcome[i] = results[i].error();
            continue;
        }
        if (auto st = store.adopt(requests[i].destination, results[i]->sha256); !st) {
            outcome[i] = st.error();
            continue;
        }
        ++stats.downloaded;
        stats.bytes_downloaded += results[i]->bytes;
    }
    return outcome;
}

}  // namespace gapbundle::sources::detail
