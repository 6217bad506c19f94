#pragma once

// A registry token server (Distribution's token auth spec) for tests: GET /token?service&scope
// answers {"token": JWT, "access_token": JWT} signed with ES256; the JWT header carries the
// signing certificate in x5c, which the registry checks against its rootcertbundle.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gapbundle::testing {

class TokenServer {
public:
    // Writes key.pem and cert.pem (P-256, self-signed) into `folder`; listens on 127.0.0.1.
    // Requests with a Basic Authorization must carry user:password (else 401); anonymous ones
    // get the requested actions too.
    TokenServer(const std::filesystem::path& folder, std::string issuer, std::string user, std::string password);
    ~TokenServer();
    TokenServer(const TokenServer&) = delete;
    TokenServer& operator=(const TokenServer&) = delete;

    [[nodiscard]] std::string realm() const;  // "http://127.0.0.1:PORT/token"
    [[nodiscard]] std::filesystem::path certificate() const;
    [[nodiscard]] int requests() const;
    [[nodiscard]] std::vector<std::string> authorizations() const;
    void issue_expired(bool expired);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace gapbundle::testing
