#pragma once

// Drives transfers to completion on one libcurl multi handle (private to the net layer).

#include "transfer.hpp"

#include <gapbundle/net/http_engine.hpp>

#include <span>
#include <vector>

namespace gapbundle::net::detail {

// At most options.jobs transfers at a time; a failed attempt is retried after its delay
// (backoff or Retry-After) up to options.max_attempts; progress is reported from this
// thread at most every 100 ms and once at the end. One Status per transfer, in order;
// a transfer that failed has had its file removed.
std::vector<Status> run_transfers(const EngineOptions& options, std::span<Transfer* const> transfers,
                                  const ProgressCallback& progress);

}  // namespace gapbundle::net::detail
