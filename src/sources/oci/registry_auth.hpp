#pragma once

// What a registry wants before it answers: nothing, Basic credentials, or a Bearer token from
// its token server, learned from the first 401 (private to the oci source kind).

#include <gapbundle/net/http_request.hpp>
#include <gapbundle/sources/oci/registry_client.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::oci::detail {

// "access denied (HTTP 401): check the credentials for HOST"
std::string access_denied_message(long status, std::string_view host);

// "repository:<name>:pull"
std::string pull_scope(std::string_view repository);
// "repository:<name>:pull,push"
std::string push_scope(std::string_view repository);

// A `scope` argument below may hold several scopes separated by spaces (as in a challenge):
// "repository:dst:pull,push repository:src:pull" for a cross-repository mount. The token
// request then carries one scope= parameter per scope.

class RegistryAuth {
public:
    RegistryAuth(std::string base_url, std::string host, RegistryOptions options);

    // Sends `request` with what the registry wants for `scope`; on a 401 follows the challenge
    // (fetching a new token, or adding Basic credentials) and sends it once more. A 401 or 403
    // that remains comes back as a response; transport and token-server failures as errors.
    Result<net::HttpResponse> send(net::HttpRequest request, const std::string& scope);

    // The credentials a blob download for `scope` needs, asking the registry (GET /v2/) when its
    // scheme is not known yet. A refusal is an ErrorCode::network access-denied error.
    Result<net::Credentials> credentials_for(const std::string& scope);

    [[nodiscard]] const net::EngineOptions& engine() const { return m_options.engine; }

private:
    enum class Scheme { unknown, none, basic, bearer };

    [[nodiscard]] net::Credentials current(const std::string& scope) const;
    // Reads the challenge of a 401 (and the scope it names, if any); false when there is none
    // we can answer.
    bool learn(const net::HttpResponse& unauthorized, std::string& challenge_scope);
    // A new token for `scope` and the challenge's own scopes when it named some; nullopt when
    // the token server refuses (401/403).
    Result<std::optional<std::string>> fetch_token(const std::string& scope, const std::string& challenge_scope);

    std::string m_base_url;
    std::string m_host;
    RegistryOptions m_options;
    Scheme m_scheme = Scheme::unknown;
    std::string m_realm;
    std::string m_service;
    std::map<std::string, std::string> m_tokens;  // scope → token
};

}  // namespace gapbundle::sources::oci::detail
