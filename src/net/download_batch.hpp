#pragma once

// The downloads of one HttpEngine::download call (private to the net layer): each request as
// one transfer, or as byte ranges of a RangedFile when it is big enough, run on one loop; files
// whose server turned out to ignore Range are fetched whole in a second round.

#include "background_hasher.hpp"
#include "ranged_file.hpp"
#include "transfer.hpp"

#include <gapbundle/net/http_engine.hpp>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace gapbundle::net::detail {

class DownloadBatch {
public:
    DownloadBatch(const EngineOptions& options, std::span<const DownloadRequest> requests)
        : m_options(options), m_requests(requests) {}

    // One result per request, in request order.
    std::vector<Result<DownloadResult>> run(const ProgressCallback& progress);

private:
    // The transfers serving one request in a round.
    struct Planned {
        std::size_t request = 0;
        std::size_t first = 0;  // index of its first transfer in the round
        std::size_t count = 0;
        std::shared_ptr<RangedFile> ranged;  // null: one whole transfer
    };
    struct Round {
        std::vector<std::unique_ptr<Transfer>> transfers;
        std::vector<Planned> planned;
    };

    [[nodiscard]] bool wants_ranges(const DownloadRequest& request) const;
    void plan_whole(Round& round, std::size_t request) const;
    void plan_ranges(Round& round, std::size_t request) const;
    // nullopt: the server ignores Range; fetch the file whole in the next round.
    std::optional<Result<DownloadResult>> collect(const Round& round, const Planned& planned,
                                                  std::span<Status> statuses) const;
    Result<DownloadResult> collect_ranges(const Round& round, const Planned& planned,
                                          std::span<Status> statuses) const;

    const EngineOptions& m_options;
    std::span<const DownloadRequest> m_requests;
    mutable BackgroundHasher m_hasher;  // hashes every file, whole or in ranges, while the loop receives
};

}  // namespace gapbundle::net::detail
