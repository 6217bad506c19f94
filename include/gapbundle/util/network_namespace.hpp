#pragma once

// Cutting this process off the network: a new network namespace whose only interface is
// loopback (as `unshare --net`, then `ip link set lo up`).

#include <gapbundle/util/error.hpp>

namespace gapbundle::netns {

// Moves the calling thread, and every process and thread it starts afterwards, into a new network
// namespace and brings its loopback interface up. Needs CAP_SYS_ADMIN (root, or a container
// that allows it). ErrorCode::usage, with the reason, when the kernel refuses.
Status cut_network();

}  // namespace gapbundle::netns
