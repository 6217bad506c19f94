#include <gapbundle/net/http_engine.hpp>

#include "download_batch.hpp"
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
    return detail::DownloadBatch(m_options, requests).run(progress);
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
