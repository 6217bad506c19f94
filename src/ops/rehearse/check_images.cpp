// Images: every image's manifests, config and layers are in the layout; and, where this host has
// docker-registry, every image is pushed into one on loopback as `install images` would.

#include "rehearsal_checks.hpp"

#include <gapbundle/ops/install_images.hpp>
#include <gapbundle/sources/oci/layout_check.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/process.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <thread>

namespace gapbundle::ops::rehearsal {

namespace {

namespace stdfs = std::filesystem;

sockaddr_in loopback(std::uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A port nothing listens on now (the kernel's choice for an ephemeral bind).
std::optional<std::uint16_t> free_port()
{
    UniqueFd socket_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    if (!socket_fd.valid() || ::bind(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return std::nullopt;
    return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port)
{
    UniqueFd socket_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const sockaddr_in address = loopback(port);
    return socket_fd.valid() && ::connect(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

void push_to_loopback_registry(const Tree& tree, const stdfs::path& registry_program, KindRehearsal& out)
{
    const auto port = free_port();
    if (!port) {
        out.notes.push_back("no free loopback port: the push was not rehearsed");
        return;
    }
    const stdfs::path folder = tree.work / "registry";
    const std::string config = "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                               "storage:\n  filesystem:\n    rootdirectory: " +
                               (folder / "storage").string() + "\nhttp:\n  addr: 127.0.0.1:" + std::to_string(*port) + "\n";
    std::error_code ec;
    stdfs::create_directories(folder, ec);
    if (auto st = fs::write_file_atomic(folder / "config.yml", config); !st) {
        out.problems.push_back(st.error().message);
        return;
    }
    auto server = process::Background::start({registry_program.string(), "serve", (folder / "config.yml").string()},
                                             folder / "registry.log");
    if (!server) {
        out.problems.push_back(server.error().message);
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts_connections(*port)) {
        if (!server->running() || std::chrono::steady_clock::now() > deadline) {
            out.notes.push_back("docker-registry did not start on loopback (see " + (folder / "registry.log").string() +
                                "): the push was not rehearsed");
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    InstallImagesOptions options;
    options.dir = tree.root;
    options.push.registry = "127.0.0.1:" + std::to_string(*port);
    options.push.connection.insecure = true;
    auto pushed = install_images(options);
    if (!pushed) {
        out.problems.push_back("install images into a loopback registry: " + pushed.error().message);
        return;
    }
    out.checked.push_back("install images pushed " + std::to_string(pushed->push.images.size()) + " image(s) (" +
                          std::to_string(pushed->push.total.blobs_uploaded) + " blob(s)) into a loopback docker-registry");
}

}  // namespace

KindRehearsal rehearse_images(const Tree& tree)
{
    KindRehearsal out{"images", Verdict::passed, {}, {}, {}};
    auto layout = sources::oci::LayoutReader::open(tree.root);
    if (!layout) {
        out.problems.push_back(layout.error().message);
        out.verdict = Verdict::failed;
        return out;
    }
    const auto checked = sources::oci::check_layout(*layout);
    out.problems = checked.problems;
    out.checked.push_back(std::to_string(checked.images) + " image(s) in oci/index.json: every manifest, config and layer is there (" +
                          std::to_string(checked.blobs) + " blob(s))");
    std::set<std::string> in_layout;
    for (const auto& image : layout->images()) in_layout.insert(image.ref_name);
    for (const auto* component : tree.components("images"))
        if (!in_layout.contains(component->name))
            out.problems.push_back(component->name + ": the index names it, but oci/index.json has no such image");
    if (out.problems.empty()) {
        if (const auto registry = find_program("docker-registry"))
            push_to_loopback_registry(tree, *registry, out);
        else
            out.notes.push_back("no docker-registry on this host: the push was not rehearsed");
    }
    out.verdict = out.problems.empty() ? Verdict::passed : Verdict::failed;
    return out;
}

}  // namespace gapbundle::ops::rehearsal
