#include "download_batch.hpp"

#include "transfer_loop.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>

namespace gapbundle::net::detail {

namespace {

TransferSpec spec_for(const DownloadRequest& request)
{
    return TransferSpec{request.url, request.credentials, request.headers, request.label,
                        TransferSpec::Coding::identity};
}

}  // namespace

bool DownloadBatch::wants_ranges(const DownloadRequest& request) const
{
    // Conditional requests are for small documents that may not have changed: never split.
    if (m_options.range_chunk_size == 0 || !request.expected_size || request.allow_not_modified) return false;
    const std::uint64_t size = *request.expected_size;
    return size >= m_options.range_min_size && size > m_options.range_chunk_size;
}

void DownloadBatch::plan_whole(Round& round, std::size_t request) const
{
    const DownloadRequest& r = m_requests[request];
    Expectation expect{r.expected_size, r.expected_sha256, r.allow_not_modified};
    round.planned.push_back(Planned{request, round.transfers.size(), 1, nullptr});
    round.transfers.push_back(std::make_unique<Transfer>(spec_for(r), FileSink(r.destination, m_hasher), std::move(expect)));
    round.transfers.back()->request = request;
}

void DownloadBatch::plan_ranges(Round& round, std::size_t request) const
{
    const DownloadRequest& r = m_requests[request];
    auto file = std::make_shared<RangedFile>(r.destination, *r.expected_size, m_options.range_chunk_size, m_hasher);
    round.planned.push_back(Planned{request, round.transfers.size(), file->range_count(), file});
    for (std::size_t i = 0; i < file->range_count(); ++i) {
        Expectation expect{file->range(i).length, std::nullopt, false};
        round.transfers.push_back(std::make_unique<Transfer>(spec_for(r), RangeSink(file, i), std::move(expect)));
        round.transfers.back()->request = request;
    }
}

std::vector<Result<DownloadResult>> DownloadBatch::run(const ProgressCallback& progress)
{
    std::vector<std::optional<Result<DownloadResult>>> results(m_requests.size());
    std::vector<std::size_t> pending(m_requests.size());
    for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    bool ranges_allowed = true;
    while (!pending.empty()) {
        Round round;
        for (std::size_t request : pending) {
            if (ranges_allowed && wants_ranges(m_requests[request])) plan_ranges(round, request);
            else plan_whole(round, request);
        }
        std::vector<Transfer*> transfers;
        transfers.reserve(round.transfers.size());
        for (const auto& t : round.transfers) transfers.push_back(t.get());
        std::vector<Status> statuses = run_transfers(m_options, transfers, progress);

        pending.clear();
        for (const Planned& planned : round.planned) {
            auto result = collect(round, planned, statuses);
            if (result) results[planned.request] = std::move(*result);
            else pending.push_back(planned.request);
        }
        ranges_allowed = false;
    }
    std::vector<Result<DownloadResult>> out;
    out.reserve(results.size());
    for (auto& result : results) out.push_back(std::move(*result));
    return out;
}

std::optional<Result<DownloadResult>> DownloadBatch::collect(const Round& round, const Planned& planned,
                                                             std::span<Status> statuses) const
{
    if (planned.ranged) {
        const auto failed = planned.ranged->first_failed();
        if (failed && round.transfers[planned.first + *failed]->ranges_refused()) {
            planned.ranged->discard();
            return std::nullopt;
        }
        return collect_ranges(round, planned, statuses);
    }
    Status& status = statuses[planned.first];
    if (!status) return Result<DownloadResult>(std::unexpected(std::move(status.error())));
    const Transfer& t = *round.transfers[planned.first];
    return Result<DownloadResult>(DownloadResult{
        .url = m_requests[planned.request].url,
        .bytes = t.not_modified() ? 0 : t.bytes_done(),
        .sha256 = t.sha256(),
        .http_status = t.http_status(),
        .attempts = t.attempts(),
        .not_modified = t.not_modified(),
        .etag = t.etag(),
        .last_modified = t.last_modified(),
        .ranges = 1,
    });
}

Result<DownloadResult> DownloadBatch::collect_ranges(const Round& round, const Planned& planned,
                                                     std::span<Status> statuses) const
{
    RangedFile& file = *planned.ranged;
    if (const auto failed = file.first_failed()) {
        file.discard();
        return std::unexpected(std::move(statuses[planned.first + *failed].error()));
    }
    const Transfer& first = *round.transfers[planned.first];
    auto sha = file.finish();
    if (!sha) {
        file.discard();
        return fail(sha.error().code, first.where() + sha.error().message);
    }
    const DownloadRequest& request = m_requests[planned.request];
    if (request.expected_sha256 && !text::iequals(*request.expected_sha256, *sha)) {
        file.discard();
        return fail(ErrorCode::download, first.where() + "sha256 mismatch: expected " + *request.expected_sha256 +
                                             ", got " + *sha);
    }
    int attempts = 0;
    for (std::size_t i = 0; i < planned.count; ++i)
        attempts = std::max(attempts, round.transfers[planned.first + i]->attempts());
    return DownloadResult{
        .url = request.url,
        .bytes = file.size(),
        .sha256 = std::move(*sha),
        .http_status = first.http_status(),
        .attempts = attempts,
        .not_modified = false,
        .etag = first.etag(),
        .last_modified = first.last_modified(),
        .ranges = planned.count,
    };
}

}  // namespace gapbundle::net::detail
