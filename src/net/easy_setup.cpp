#include "easy_setup.hpp"

#include <cstdlib>

namespace gapbundle::net::detail {

namespace {

const char* env(const char* name)
{
    const char* value = std::getenv(name);
    return value && *value ? value : nullptr;
}

// Collects the first failing curl_easy_setopt so configure_easy reads as a list.
class Setter {
public:
    explicit Setter(CURL* easy) : m_easy(easy) {}

    template <class T>
    void operator()(CURLoption option, T value)
    {
        if (m_code != CURLE_OK) return;
        m_code = curl_easy_setopt(m_easy, option, value);
    }
    [[nodiscard]] CURLcode code() const { return m_code; }

private:
    CURL* m_easy;
    CURLcode m_code = CURLE_OK;
};

void set_trust(Setter& set, const EngineOptions& options)
{
    if (!options.ca_bundle.empty())
        set(CURLOPT_CAINFO, options.ca_bundle.c_str());
    else if (const char* file = env("SSL_CERT_FILE"))
        set(CURLOPT_CAINFO, file);
    if (const char* dir = env("SSL_CERT_DIR")) set(CURLOPT_CAPATH, dir);
}

void set_credentials(Setter& set, const EngineOptions& options, const Credentials& credentials)
{
    // Never send credentials to another host after a redirect.
    set(CURLOPT_UNRESTRICTED_AUTH, 0L);
    switch (credentials.kind) {
    case Credentials::Kind::basic:
        set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        set(CURLOPT_USERNAME, credentials.user.c_str());
        set(CURLOPT_PASSWORD, credentials.secret.c_str());
        break;
    case Credentials::Kind::bearer:
        set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
        set(CURLOPT_XOAUTH2_BEARER, credentials.secret.c_str());
        break;
    case Credentials::Kind::none:
        if (options.use_netrc) {
            set(CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
            if (const char* file = env("NETRC")) set(CURLOPT_NETRC_FILE, file);
        }
        break;
    }
}

}  // namespace

Result<UniqueSlist> build_header_list(const TransferSpec& spec)
{
    UniqueSlist list;
    for (const std::string& header : spec.headers)
        if (!slist_append(list, header.c_str())) return fail(ErrorCode::internal, "out of memory");
    return list;
}

Status configure_easy(CURL* easy, const EngineOptions& options, const TransferSpec& spec,
                      curl_slist* headers, char* error_buffer)
{
    Setter set(easy);
    set(CURLOPT_ERRORBUFFER, error_buffer);
    set(CURLOPT_URL, spec.url.c_str());
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 1L);
    set(CURLOPT_MAXREDIRS, 10L);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    set(CURLOPT_LOW_SPEED_LIMIT, 1L);
    set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout.count()));
    set(CURLOPT_USERAGENT, options.user_agent.c_str());
    // Larger receive chunks than curl's 16 KiB: fewer callbacks and writes on fast links.
    set(CURLOPT_BUFFERSIZE, 256L * 1024L);
    if (spec.coding == TransferSpec::Coding::any) set(CURLOPT_ACCEPT_ENCODING, "");
    if (headers) set(CURLOPT_HTTPHEADER, headers);
    set_trust(set, options);
    set_credentials(set, options, spec.credentials);
    if (set.code() != CURLE_OK)
        return fail(ErrorCode::internal, std::string("curl_easy_setopt: ") + curl_easy_strerror(set.code()));
    return {};
}

}  // namespace gapbundle::net::detail
