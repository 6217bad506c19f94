#include "support/registry_server.hpp"

#include "support/ports.hpp"
#include "support/run_binary.hpp"
#include "support/test_dir.hpp"
#include "support/token_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <fcntl.h>
#include <chrono>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace gapbundle::testing {

namespace {

namespace stdfs = std::filesystem;

constexpr const char* k_registry = "/usr/bin/docker-registry";
constexpr const char* k_service = "gapbundle-test-registry";
constexpr const char* k_issuer = "gapbundle-test-issuer";

sockaddr_in loopback(int port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool accepts_connections(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in address = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return ok;
}

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
    pid_t pid = -1;
    std::unique_ptr<TokenServer> tokens;

    void spawn(const stdfs::path& config, const stdfs::path& log)
    {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::string program = k_registry, serve = "serve", config_path = config.string();
        char* argv[] = {program.data(), serve.data(), config_path.data(), nullptr};
        const int rc = ::posix_spawn(&pid, k_registry, &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error(std::string("cannot start ") + k_registry);
    }

    void wait_until_up(const stdfs::path& log)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (accepts_connections(port)) return;
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1;
                throw std::runtime_error("docker-registry exited: " + read_text(log));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        stop();
        throw std::runtime_error("docker-registry did not come up: " + read_text(log));
    }

    void stop()
    {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        int status = 0;
        while (::waitpid(pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pid = -1;
    }
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
    impl.spawn(folder / "config.yml", folder / "registry.log");
    impl.wait_until_up(folder / "registry.log");
}

RegistryServer::~RegistryServer()
{
    m_impl->stop();
}

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
