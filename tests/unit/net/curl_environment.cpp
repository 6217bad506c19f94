// Initialises libcurl once for net_tests, as main() does for the binary.

#include <gapbundle/net/http_engine.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

namespace {

class CurlEnvironment : public ::testing::Environment {
public:
    void SetUp() override
    {
        // Loopback never goes through a proxy someone left in the environment.
        setenv("no_proxy", "127.0.0.1,localhost", 1);
        setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        m_curl = std::make_unique<gapbundle::net::CurlGlobal>();
    }
    void TearDown() override { m_curl.reset(); }

private:
    std::unique_ptr<gapbundle::net::CurlGlobal> m_curl;
};

[[maybe_unused]] ::testing::Environment* const k_curl_environment =
    ::testing::AddGlobalTestEnvironment(new CurlEnvironment);

}  // namespace
