#pragma once

#include <gapbundle/util/error.hpp>

namespace gapbundle::interrupt {

// Installs SIGINT/SIGTERM handlers that set a flag long-running loops poll; a second signal
// exits at once with status 130.
void install_handlers();
[[nodiscard]] bool requested();
void request();  // for tests
// ErrorCode::interrupted when a stop was requested, else success.
Status check();

}  // namespace gapbundle::interrupt
