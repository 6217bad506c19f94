#pragma once

// Shared by the HttpEngine tests: a curl-initialised process, a fault-injecting server per test,
// fast options, and small helpers.

#include "support/http_test_server.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/net/http_engine.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

namespace gapbundle::testing {

// Options that keep every test to a few seconds at most.
inline net::EngineOptions fast_options()
{
    net::EngineOptions options;
    options.jobs = 4;
    options.max_attempts = 4;
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.stall_timeout = std::chrono::seconds(2);
    options.backoff_initial = std::chrono::milliseconds(50);
    options.backoff_max = std::chrono::milliseconds(200);
    options.retry_after_max = std::chrono::seconds(5);
    options.use_netrc = false;
    return options;
}

inline std::string random_bytes(std::size_t size, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(rng() & 0xff);
    return out;
}

class HttpEngineTest : public TestDirFixture {
protected:
    // One request for `path` on the server, written to dir()/file_name.
    net::DownloadRequest request_for(const std::string& path, const std::string& label = "files[0]") const
    {
        net::DownloadRequest request;
        request.url = server.url(path);
        request.destination = dir() / ("dl" + std::to_string(++m_counter));
        request.label = label;
        return request;
    }

    net::DownloadResult download_one(const net::DownloadRequest& request, net::EngineOptions options = fast_options())
    {
        auto results = download_all({request}, options);
        EXPECT_EQ(results.size(), 1u);
        if (!results[0]) ADD_FAILURE() << results[0].error().message;
        return results[0].value_or(net::DownloadResult{});
    }

    std::vector<Result<net::DownloadResult>> download_all(const std::vector<net::DownloadRequest>& requests,
                                                          net::EngineOptions options = fast_options(),
                                                          const net::ProgressCallback& progress = {})
    {
        net::HttpEngine engine(std::move(options));
        return engine.download(requests, progress);
    }

    Error expect_failure(const net::DownloadRequest& request, net::EngineOptions options = fast_options())
    {
        auto results = download_all({request}, std::move(options));
        if (results.size() != 1 || results[0]) {
            ADD_FAILURE() << "expected a failure for " << request.url;
            return Error{ErrorCode::internal, ""};
        }
        return results[0].error();
    }

    HttpTestServer server;

private:
    mutable int m_counter = 0;
};

}  // namespace gapbundle::testing
