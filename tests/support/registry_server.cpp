#include "support/registry_server.hpp"

#include "support/ports.hpp"
#include "support/run_binary.hpp"
#include "support/server_process.hpp"
#include "support/test_dir.hpp"
#include "support/token_server.hpp"

#include <optional>
#include <stdexcept>

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

constexpr const char* k_registry = "/usr/bin/docker-registry";
constexpr const char* k_service = "gapbundle-test-registry";
constexpr const char* k_issuer = "gapbundle-test-issuer";

std::string auth_section(RegistryAuthMode mode, const stdfs::path& folder, const TokenServer* tokens)
{
    switch (mode) {
        case RegistryAuthMode::open:
            return "";
        case RegistryAuthMode::basic:
            return "auth:\n  htpasswd:\n    realm: gapbundle-test\n    path: " + (folder / "htpasswd").string() + "\n";
        case RegistryAuthMode::token:
            return "auth:\n  token:\n    realm: " + tokens->realm() + "\n    service: " + k_service +
                   "\n    issuer: " + k_issuer + "\n    rootcertbundle: " + tokens->certificate().string() + "\n";
    }
    return "";
}

void write_htpasswd(const stdfs::path& folder)
{
    const RunResult made =
        run_program("/usr/bin/htpasswd", {"-Bbn", RegistryServer::k_user, RegistryServer::k_password}, folder);
    if (made.status != 0) throw std::runtime_error("htpasswd failed: " + made.err);
    write_text(folder / "htpasswd", made.out);
}

}  // namespace

struct RegistryServer::Impl {
    stdfs::path folder;
    RegistryAuthMode mode = RegistryAuthMode::open;
    int port = 0;
    std::unique_ptr<TokenServer> tokens;
    std::optional<ServerProcess> process;  // after tokens: stopped before them
};

RegistryServer::RegistryServer(const stdfs::path& folder, RegistryAuthMode mode, RegistryLog log)
    : m_impl(std::make_unique<Impl>())
{
    Impl& impl = *m_impl;
    impl.folder = folder;
    impl.mode = mode;
    stdfs::create_directories(folder / "storage");
    if (mode == RegistryAuthMode::basic) write_htpasswd(folder);
    if (mode == RegistryAuthMode::token)
        impl.tokens = std::make_unique<TokenServer>(folder / "token", k_issuer, k_user, k_password);
    impl.port = free_port();
    const std::string config =
        "version: 0.1\n"
        "log:\n  level: error\n  accesslog:\n    disabled: " +
        std::string(log == RegistryLog::requests ? "false" : "true") +
        "\n"
        "storage:\n  filesystem:\n    rootdirectory: " +
        (folder / "storage").string() +
        "\n"
        "  delete:\n    enabled: true\n"
        "http:\n  addr: 127.0.0.1:" +
        std::to_string(impl.port) +
        "\n"
        "  secret: gapbundle-test-secret\n" +
        auth_section(mode, folder, impl.tokens.get());
    write_text(folder / "config.yml", config);
    impl.process.emplace(k_registry, std::vector<std::string>{"serve", (folder / "config.yml").string()},
                         folder / "registry.log", impl.port);
}

RegistryServer::~RegistryServer() = default;

int RegistryServer::port() const
{
    return m_impl->port;
}
std::string RegistryServer::host() const
{
    return "127.0.0.1:" + std::to_string(m_impl->port);
}

std::string RegistryServer::log() const
{
    return read_text(m_impl->folder / "registry.log");
}

void RegistryServer::push(const stdfs::path& layout, const std::string& layout_tag, const std::string& repository_tag,
                          bool all) const
{
    std::vector<std::string> args = {"--insecure-policy", "copy", "--quiet", "--preserve-digests",
                                     "--dest-tls-verify=false"};
    if (m_impl->mode != RegistryAuthMode::open)
        args.push_back(std::string("--dest-creds=") + k_user + ":" + k_password);
    if (all) args.emplace_back("--all");
    args.push_back("oci:" + layout.string() + ":" + layout_tag);
    args.push_back("docker://" + host() + "/" + repository_tag);
    const stdfs::path scratch = m_impl->folder / "skopeo";
    stdfs::create_directories(scratch);
    const RunResult pushed = run_program("/usr/bin/skopeo", args, scratch);
    if (pushed.status != 0) throw std::runtime_error("skopeo copy failed: " + pushed.out + pushed.err);
}

int RegistryServer::token_requests() const
{
    return m_impl->tokens ? m_impl->tokens->requests() : 0;
}

std::vector<std::string> RegistryServer::token_authorizations() const
{
    return m_impl->tokens ? m_impl->tokens->authorizations() : std::vector<std::string>{};
}

void RegistryServer::issue_expired_tokens(bool expired)
{
    if (m_impl->tokens) m_impl->tokens->issue_expired(expired);
}

}  // namespace gapbundle::testing
