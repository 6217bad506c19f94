#include "registry_auth.hpp"

#include "auth_challenge.hpp"
#include "registry_errors.hpp"

#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace gapbundle::sources::oci::detail {

namespace {

using net::Credentials;

// The token of a token server's JSON answer: "token", else "access_token".
std::optional<std::string> token_from_json(const std::string& body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    for (const char* key : {"token", "access_token"}) {
        const auto it = json.find(key);
        if (it != json.end() && it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
    }
    return std::nullopt;
}

// The space-separated scopes of `a` then those of `b`, each once.
std::vector<std::string> scope_union(std::string_view a, std::string_view b)
{
    std::vector<std::string> out;
    for (const std::string_view list : {a, b})
        for (const std::string_view part : text::split(list, ' ')) {
            if (part.empty()) continue;
            if (std::ranges::find(out, part) == out.end()) out.emplace_back(part);
        }
    return out;
}

}  // namespace

std::string access_denied_message(long status, std::string_view host)
{
    return "access denied (HTTP " + std::to_string(status) + "): check the credentials for " + std::string(host);
}

std::string pull_scope(std::string_view repository)
{
    return "repository:" + std::string(repository) + ":pull";
}

std::string push_scope(std::string_view repository)
{
    return "repository:" + std::string(repository) + ":pull,push";
}

RegistryAuth::RegistryAuth(std::string base_url, std::string host, RegistryOptions options)
    : m_base_url(std::move(base_url)), m_host(std::move(host)), m_options(std::move(options))
{
}

Credentials RegistryAuth::current(const std::string& scope) const
{
    const Credentials& given = m_options.credentials;
    if (given.kind == Credentials::Kind::bearer) return given;
    if (m_scheme == Scheme::basic) return given;
    if (m_scheme == Scheme::bearer) {
        if (auto it = m_tokens.find(scope); it != m_tokens.end())
            return Credentials{Credentials::Kind::bearer, "", it->second};
    }
    return {};
}

bool RegistryAuth::learn(const net::HttpResponse& unauthorized, std::string& challenge_scope)
{
    const auto header = unauthorized.header("WWW-Authenticate");
    if (!header) return false;
    auto challenges = parse_auth_challenges(*header);
    if (!challenges) return false;
    for (const AuthChallenge& challenge : *challenges) {
        if (challenge.scheme == "bearer" && challenge.param("realm")) {
            m_scheme = Scheme::bearer;
            m_realm = *challenge.param("realm");
            m_service = challenge.param("service").value_or("");
            challenge_scope = challenge.param("scope").value_or("");
            return true;
        }
    }
    for (const AuthChallenge& challenge : *challenges) {
        if (challenge.scheme == "basic") {
            m_scheme = Scheme::basic;
            return true;
        }
    }
    return false;
}

Result<std::optional<std::string>> RegistryAuth::fetch_token(const std::string& scope,
                                                             const std::string& challenge_scope)
{
    const Credentials& given = m_options.credentials;
    // What we will do, and what the registry's challenge says this request needs.
    net::HttpRequest request;
    request.url = m_realm + (m_realm.find('?') == std::string::npos ? "?" : "&");
    if (!m_service.empty()) request.url += "service=" + text::percent_encode(m_service);
    for (const std::string& one : scope_union(scope, challenge_scope)) {
        if (!request.url.ends_with('?') && !request.url.ends_with('&')) request.url += "&";
        request.url += "scope=" + text::percent_encode(one);
    }
    if (given.kind == Credentials::Kind::basic) request.credentials = given;  // anonymous token otherwise
    request.max_body = 1ull << 20;
    auto response = net::send(request, m_options.engine);
    if (!response) return std::unexpected(response.error().context("token server"));
    if (response->status == 401 || response->status == 403) return std::nullopt;
    const std::string where = "token server " + text::redact_url(m_realm);
    if (!is_success(response->status))
        return fail(ErrorCode::network, where + ": HTTP " + std::to_string(response->status));
    auto token = token_from_json(response->body);
    if (!token) return fail(ErrorCode::network, where + ": no token in the answer");
    return token;
}

Result<net::HttpResponse> RegistryAuth::send(net::HttpRequest request, const std::string& scope)
{
    request.credentials = current(scope);
    auto response = net::send(request, m_options.engine);
    if (!response || response->status != 401) return response;
    if (m_options.credentials.kind == Credentials::Kind::bearer) return response;
    const Credentials sent = request.credentials;
    std::string challenge_scope;
    if (!learn(*response, challenge_scope)) return response;
    if (m_scheme == Scheme::basic) {
        if (m_options.credentials.kind != Credentials::Kind::basic || sent.kind == Credentials::Kind::basic)
            return response;
        request.credentials = m_options.credentials;
        return net::send(request, m_options.engine);
    }
    // Bearer: a first token, or a new one when the cached token stopped working.
    m_tokens.erase(scope);
    auto token = fetch_token(scope, challenge_scope);
    if (!token) return std::unexpected(token.error());
    if (!*token) return response;
    m_tokens[scope] = **token;
    request.credentials = current(scope);
    return net::send(request, m_options.engine);
}

Result<Credentials> RegistryAuth::credentials_for(const std::string& scope)
{
    if (m_options.credentials.kind == Credentials::Kind::bearer) return m_options.credentials;
    if (m_scheme == Scheme::unknown) {
        net::HttpRequest ping;
        ping.url = m_base_url + "/v2/";
        auto response = net::send(ping, m_options.engine);
        if (!response) return std::unexpected(response.error());
        if (response->status == 401) {
            std::string ignored;  // the ping's challenge names no repository
            if (!learn(*response, ignored)) return fail(ErrorCode::network, access_denied_message(401, m_host));
        } else {
            m_scheme = Scheme::none;
        }
    }
    if (m_scheme == Scheme::basic && m_options.credentials.kind != Credentials::Kind::basic)
        return fail(ErrorCode::network, access_denied_message(401, m_host));
    if (m_scheme == Scheme::bearer && !m_tokens.contains(scope)) {
        auto token = fetch_token(scope, "");
        if (!token) return std::unexpected(token.error());
        if (!*token) return fail(ErrorCode::network, access_denied_message(401, m_host));
        m_tokens[scope] = **token;
    }
    return current(scope);
}

}  // namespace gapbundle::sources::oci::detail
