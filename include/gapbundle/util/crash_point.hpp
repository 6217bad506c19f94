#pragma once

#include <string_view>

namespace gapbundle::crash {

// A test hook for crash safety: when GAPBUNDLE_CRASH_AT is NAME or NAME:N, the N-th (default
// first) call of crash::point(NAME) kills the process with SIGKILL, as a power cut or `kill -9`
// would at that step. The variable is read once; unset, a call costs one comparison.
void point(std::string_view name);

}  // namespace gapbundle::crash
