#include <gapbundle/net/http_engine.hpp>

#include "transfer.hpp"
#include "transfer_loop.hpp"

namespace gapbundle::net {

using detail::Transfer;
using detail::TransferSpec;

HttpEngine::HttpEngine(EngineOptions options) : m_options(std::move(options)) {}

HttpEngine::~HttpEngine() = default;

std::vector<Result<DownloadResult>> HttpEngine::download(std::span<const DownloadRequest> requests,
                                                         const ProgressCallback& progress)
{
    std::vector<std::unique_ptr<Transfer>> owned;
    std::vector<Transfer*> transfers;
    owned.reserve(requests.size());
    transfers.reserve(requests.size());
    for (const DownloadRequest& request : requests) {
        TransferSpec spec{request.url, request.credentials, request.headers, request.label,
                          TransferSpec::Coding::identity};
        detail::Expectation expect{request.expected_size, request.expected_sha256, request.allow_not_modified};
        owned.push_back(std::make_unique<Transfer>(std::move(spec), detail::FileSink(request.destination),
                                                   std::move(expect)));
        transfers.push_back(owned.back().get());
    }

    std::vector<Status> statuses = detail::run_transfers(m_options, transfers, progress);
    std::vector<Result<DownloadResult>> results;
    results.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (!statuses[i]) {
            results.push_back(std::unexpected(std::move(statuses[i].error())));
            continue;
        }
        const Transfer& t = *owned[i];
        results.push_back(DownloadResult{requests[i].url, t.not_modified() ? 0 : t.bytes_done(), t.sha256(),
                                         t.http_status(), t.attempts(), t.not_modified(), t.etag(),
                                         t.last_modified()});
    }
    return results;
}

Result<std::string> HttpEngine::get_text(const std::string& url, const Credentials& credentials,
                                         std::uint64_t max_bytes)
{
    TransferSpec spec{url, credentials, {}, {}, TransferSpec::Coding::any};
    Transfer transfer(std::move(spec), detail::TextSink(max_bytes));
    Transfer* const one[] = {&transfer};
    std::vector<Status> statuses = detail::run_transfers(m_options, one, {});
    if (!statuses[0]) return std::unexpected(std::move(statuses[0].error()));
    return std::get<detail::TextSink>(transfer.sink()).take();
}

}  // namespace gapbundle::net
