#include "support/token_server.hpp"

#include "support/run_binary.hpp"
#include "support/test_dir.hpp"

// The crypto layer's owners for OpenSSL handles (a private header, shared here rather than copied).
#include "../../src/crypto/ssl_handles.hpp"

#include <gapbundle/crypto/keys.hpp>

#include <httplib.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

std::string base64(const std::string& bytes, bool url)
{
    static constexpr char k_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static constexpr char k_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char* alphabet = url ? k_url : k_std;
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (rest == 2) out += alphabet[(n >> 6) & 63];
        if (!url) out += rest == 2 ? "=" : "==";
    }
    return out;
}

std::string json_escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// The base64 body of a PEM certificate: the DER in standard base64, as x5c wants it.
std::string pem_body(const std::string& pem)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < pem.size()) {
        std::size_t end = pem.find('\n', pos);
        if (end == std::string::npos) end = pem.size();
        const std::string line = pem.substr(pos, end - pos);
        if (!line.empty() && !line.starts_with("-----")) out += line;
        pos = end + 1;
    }
    return out;
}

struct SigDeleter {
    void operator()(ECDSA_SIG* sig) const noexcept { ECDSA_SIG_free(sig); }
};

crypto::UniquePkey load_key(const stdfs::path& path)
{
    const crypto::UniqueBio bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw std::runtime_error("cannot open " + path.string());
    crypto::UniquePkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error("cannot read the key in " + path.string());
    return key;
}

// ES256: SHA-256 ECDSA, the signature as r || s (32 bytes each).
std::string sign_es256(EVP_PKEY* key, const std::string& input)
{
    crypto::UniqueMdCtx ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
    std::string der(length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &length,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, SigDeleter> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(length)));
    if (!sig) throw std::runtime_error("d2i_ECDSA_SIG failed");
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data() + 32), 32);
    return raw;
}

// "repository:name:pull,push" → {"type":"repository","name":"name","actions":["pull","push"]}
std::string access_entry(const std::string& scope)
{
    const auto first = scope.find(':');
    const auto last = scope.rfind(':');
    if (first == std::string::npos || last == first) return "";
    std::string actions;
    std::size_t pos = last + 1;
    while (pos <= scope.size()) {
        std::size_t end = scope.find(',', pos);
        if (end == std::string::npos) end = scope.size();
        if (!actions.empty()) actions += ",";
        actions += "\"" + json_escape(scope.substr(pos, end - pos)) + "\"";
        pos = end + 1;
    }
    return "{\"type\":\"" + json_escape(scope.substr(0, first)) + "\",\"name\":\"" +
           json_escape(scope.substr(first + 1, last - first - 1)) + "\",\"actions\":[" + actions + "]}";
}

}  // namespace

struct TokenServer::Impl {
    stdfs::path folder;
    std::string issuer;
    std::string expected_authorization;
    crypto::UniquePkey key;
    std::string x5c;
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<bool> expired{false};
    std::atomic<int> serial{0};
    mutable std::mutex mutex;
    std::vector<std::string> authorizations;

    std::string make_jwt(const std::string& service, const std::vector<std::string>& scopes)
    {
        const auto now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        const long long base = expired ? now - 7200 : now;
        std::string access;
        for (const std::string& scope : scopes) {
            const std::string entry = access_entry(scope);
            if (entry.empty()) continue;
            if (!access.empty()) access += ",";
            access += entry;
        }
        const std::string header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c + "\"]}";
        const std::string claims = "{\"iss\":\"" + json_escape(issuer) + "\",\"sub\":\"tester\",\"aud\":\"" +
                                   json_escape(service) + "\",\"exp\":" + std::to_string(base + 300) +
                                   ",\"nbf\":" + std::to_string(base - 10) + ",\"iat\":" + std::to_string(base - 10) +
                                   ",\"jti\":\"t" + std::to_string(++serial) + "\",\"access\":[" + access + "]}";
        const std::string input = base64(header, true) + "." + base64(claims, true);
        return input + "." + base64(sign_es256(key.get(), input), true);
    }

    void handle(const httplib::Request& req, httplib::Response& res)
    {
        const std::string authorization = req.get_header_value("Authorization");
        {
            std::lock_guard lock(mutex);
            authorizations.push_back(authorization);
        }
        if (!authorization.empty() && authorization != expected_authorization) {
            res.status = 401;
            res.set_content(R"({"details":"wrong credentials"})", "application/json");
            return;
        }
        std::vector<std::string> scopes;
        for (std::size_t i = 0; i < req.get_param_value_count("scope"); ++i) {
            // Several scopes may also come space-separated in one parameter.
            const std::string value = req.get_param_value("scope", i);
            std::size_t pos = 0;
            while (pos <= value.size()) {
                std::size_t end = value.find(' ', pos);
                if (end == std::string::npos) end = value.size();
                if (end > pos) scopes.push_back(value.substr(pos, end - pos));
                pos = end + 1;
            }
        }
        const std::string jwt = make_jwt(req.get_param_value("service"), scopes);
        res.set_content("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300}",
                        "application/json");
    }
};

TokenServer::TokenServer(const stdfs::path& folder, std::string issuer, std::string user, std::string password)
    : m_impl(std::make_unique<Impl>())
{
    Impl& impl = *m_impl;
    impl.folder = folder;
    impl.issuer = std::move(issuer);
    impl.expected_authorization = "Basic " + base64(user + ":" + password, false);
    stdfs::create_directories(folder);
    const RunResult made =
        run_program("/usr/bin/openssl",
                    {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                     (folder / "key.pem").string(), "-out", (folder / "cert.pem").string(), "-days", "2", "-subj",
                     "/CN=gapbundle-test-token"},
                    folder);
    if (made.status != 0) throw std::runtime_error("openssl req failed: " + made.err);
    impl.key = load_key(folder / "key.pem");
    impl.x5c = pem_body(read_text(folder / "cert.pem"));
    impl.server.Get("/token", [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res); });
    impl.port = impl.server.bind_to_any_port("127.0.0.1");
    if (impl.port <= 0) throw std::runtime_error("token server: cannot bind");
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
}

TokenServer::~TokenServer()
{
    m_impl->server.stop();
    if (m_impl->thread.joinable()) m_impl->thread.join();
}

std::string TokenServer::realm() const
{
    return "http://127.0.0.1:" + std::to_string(m_impl->port) + "/token";
}
stdfs::path TokenServer::certificate() const
{
    return m_impl->folder / "cert.pem";
}

int TokenServer::requests() const
{
    std::lock_guard lock(m_impl->mutex);
    return static_cast<int>(m_impl->authorizations.size());
}

std::vector<std::string> TokenServer::authorizations() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->authorizations;
}

void TokenServer::issue_expired(bool expired)
{
    m_impl->expired = expired;
}

}  // namespace gapbundle::testing
