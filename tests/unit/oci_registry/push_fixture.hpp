#pragma once

// Shared by the push tests: the sample layout (oci_layout.hpp), a destination registry, and skopeo as the independent
// reader of what was pushed.

#include "registry_fixture.hpp"

#include "support/run_binary.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/layout_reader.hpp>
#include <gapbundle/sources/oci/registry_push.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace gapbundle::testing {

class PushTest : public TestDirFixture {
protected:
    // Source references as the bundle's index.json names them.
    static constexpr const char* k_app_a = "docker.io/library/app-a:1.0";
    static constexpr const char* k_app_b = "quay.io/team/app-b:2.0";
    static constexpr const char* k_multi = "docker.io/library/multi:3.0";

    void build_layout()
    {
        m_layout = std::make_unique<OciLayout>(layout_dir());
        SampleImages images = add_sample_images(*m_layout, k_app_a, k_app_b, k_multi);
        m_a = std::move(images.first);
        m_b = std::move(images.second);
        m_amd64 = std::move(images.amd64);
        m_arm64 = std::move(images.arm64);
        m_index = images.index;
    }

    void start(RegistryAuthMode mode)
    {
        m_registry = std::make_unique<RegistryServer>(dir() / "registry", mode);
        build_layout();
    }

    [[nodiscard]] std::filesystem::path layout_dir() const { return dir() / "bundle" / "oci"; }
    [[nodiscard]] std::filesystem::path blob(const Descriptor& d) const
    {
        return layout_dir() / "blobs" / "sha256" / d.digest.substr(7);
    }

    sources::oci::PushOptions options(net::Credentials credentials = {})
    {
        sources::oci::PushOptions o;
        o.registry = m_registry->host();
        o.connection.insecure = true;
        o.connection.credentials = std::move(credentials);
        o.connection.engine = quick_engine();
        return o;
    }

    Result<sources::oci::PushResult> push(const sources::oci::PushOptions& o)
    {
        auto reader = sources::oci::LayoutReader::open(layout_dir());
        if (!reader) return std::unexpected(reader.error());
        return sources::oci::push_images(*reader, reader->images(), o);
    }

    // The bytes `skopeo inspect --raw` reads for docker://HOST/<name_and_ref>; throws on failure.
    std::string raw_manifest(const std::string& name_and_ref, bool with_credentials = false)
    {
        std::vector<std::string> args = {"inspect", "--raw", "--tls-verify=false"};
        if (with_credentials)
            args.push_back(std::string("--creds=") + RegistryServer::k_user + ":" + RegistryServer::k_password);
        args.push_back("docker://" + m_registry->host() + "/" + name_and_ref);
        const std::filesystem::path scratch = dir() / "skopeo";
        std::filesystem::create_directories(scratch);
        const RunResult result = run_program("/usr/bin/skopeo", args, scratch);
        if (result.status != 0) throw std::runtime_error("skopeo inspect failed: " + result.err);
        return result.out;
    }

    static std::string digest_of(const std::string& bytes) { return "sha256:" + crypto::sha256_hex(bytes); }

    std::unique_ptr<RegistryServer> m_registry;
    std::unique_ptr<OciLayout> m_layout;
    BuiltImage m_a;
    BuiltImage m_b;
    BuiltImage m_amd64;
    BuiltImage m_arm64;
    Descriptor m_index;
};

}  // namespace gapbundle::testing
