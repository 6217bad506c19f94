#pragma once

namespace gapbundle::testing {

// A loopback TCP port nobody listens on right now (the kernel's pick for a socket bound to
// port 0). Throws std::runtime_error when none can be found.
int free_port();

}  // namespace gapbundle::testing
