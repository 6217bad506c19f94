#pragma once

// A real Distribution registry (`docker-registry serve`) on 127.0.0.1 for tests, with its config
// and storage in a test folder, in three flavours: open, htpasswd Basic auth, and token auth
// backed by an in-process token server issuing ES256 JWTs (x5c header with a self-signed
// certificate the registry trusts). Images go in with skopeo.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::testing {

enum class RegistryAuthMode { open, basic, token };
// `requests` turns on the registry's access log (one line per request, readable with log()).
enum class RegistryLog { errors, requests };

class RegistryServer {
public:
    static constexpr const char* k_user = "tester";
    static constexpr const char* k_password = "pa55-w0rd";

    // Starts the registry (and the token server) and waits until it accepts connections.
    // Throws std::runtime_error with the registry's log when it does not come up.
    RegistryServer(const std::filesystem::path& folder, RegistryAuthMode mode, RegistryLog log = RegistryLog::errors);
    ~RegistryServer();  // stops the registry and waits for it
    RegistryServer(const RegistryServer&) = delete;
    RegistryServer& operator=(const RegistryServer&) = delete;

    [[nodiscard]] int port() const;
    [[nodiscard]] std::string host() const;  // "127.0.0.1:PORT"
    // What the registry wrote to stdout and stderr so far.
    [[nodiscard]] std::string log() const;

    // skopeo copy [--all] oci:LAYOUT:TAG docker://HOST/REPOSITORY:TAG, with the test credentials
    // when the registry needs them. Throws std::runtime_error with skopeo's output on failure.
    void push(const std::filesystem::path& layout, const std::string& layout_tag, const std::string& repository_tag,
              bool all = false) const;

    // Token mode only.
    [[nodiscard]] int token_requests() const;
    // Authorization headers the token server received, in order ("" when none was sent).
    [[nodiscard]] std::vector<std::string> token_authorizations() const;
    // Issue tokens that expired an hour ago (the registry then answers 401).
    void issue_expired_tokens(bool expired);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace gapbundle::testing
