#include <gapbundle/util/network_namespace.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <sched.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace gapbundle::netns {

namespace {

std::string reason(int error)
{
    std::string text = std::strerror(error);
    if (error == EPERM) text += " (needs root, or a container allowed to make namespaces)";
    return text;
}

}  // namespace

Status cut_network()
{
    if (::unshare(CLONE_NEWNET) != 0) return fail(ErrorCode::usage, "cannot cut the network: unshare(CLONE_NEWNET): " + reason(errno));
    UniqueFd socket_fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!socket_fd.valid()) return fail(ErrorCode::usage, "cannot bring loopback up: socket: " + reason(errno));
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(socket_fd.get(), SIOCGIFFLAGS, &request) != 0)
        return fail(ErrorCode::usage, "cannot bring loopback up: SIOCGIFFLAGS: " + reason(errno));
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(socket_fd.get(), SIOCSIFFLAGS, &request) != 0)
        return fail(ErrorCode::usage, "cannot bring loopback up: SIOCSIFFLAGS: " + reason(errno));
    return {};
}

}  // namespace gapbundle::netns
