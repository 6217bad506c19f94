#pragma once

#include "oci_layout.hpp"

#include "support/registry_server.hpp"
#include "support/test_dir.hpp"

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/oci/registry_client.hpp>

#include <memory>

namespace gapbundle::testing {

// Short timeouts and backoffs so that failures stay fast.
inline net::EngineOptions quick_engine()
{
    net::EngineOptions options;
    options.jobs = 2;
    options.max_attempts = 3;
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.stall_timeout = std::chrono::seconds(5);
    options.backoff_initial = std::chrono::milliseconds(10);
    options.backoff_max = std::chrono::milliseconds(50);
    options.retry_after_max = std::chrono::seconds(1);
    options.use_netrc = false;
    return options;
}

inline net::Credentials basic_credentials(std::string password = RegistryServer::k_password)
{
    return {net::Credentials::Kind::basic, RegistryServer::k_user, std::move(password)};
}

// A registry with one image pushed as "demo/app:1.0" (two layers).
class RegistryClientTest : public TestDirFixture {
protected:
    void start(RegistryAuthMode mode)
    {
        m_registry = std::make_unique<RegistryServer>(dir() / "registry", mode);
        OciLayout layout(dir() / "layout");
        m_image =
            layout.add_image("amd64", {{"hello.txt", "hello from layer one\n"}, {"data.bin", std::string(70000, 'x')}});
        layout.tag(m_image.manifest, "1.0");
        m_registry->push(layout.folder(), "1.0", "demo/app:1.0");
    }

    sources::oci::RegistryClient client(net::Credentials credentials = {})
    {
        sources::oci::RegistryOptions options;
        options.insecure = true;
        options.credentials = std::move(credentials);
        options.engine = quick_engine();
        return sources::oci::RegistryClient(m_registry->host(), options);
    }

    std::unique_ptr<RegistryServer> m_registry;
    BuiltImage m_image;
};

}  // namespace gapbundle::testing
