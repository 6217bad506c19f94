#pragma once

// Shared by the pypi tests: a target environment and quick network options.

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/pypi/markers.hpp>

#include <chrono>
#include <string>

namespace gapbundle::sources::pypi::fixtures {

// CPython `full_version` ("3.11.9") on Linux x86_64.
inline MarkerEnvironment linux_cpython(const std::string& full_version = "3.11.9")
{
    return MarkerEnvironment{.python_version = full_version.substr(0, full_version.rfind('.')),
                             .python_full_version = full_version,
                             .implementation_name = "cpython",
                             .implementation_version = full_version,
                             .platform_python_implementation = "CPython",
                             .platform_machine = "x86_64",
                             .platform_system = "Linux",
                             .platform_release = "",
                             .platform_version = "",
                             .sys_platform = "linux",
                             .os_name = "posix",
                             .extra = ""};
}

// Two attempts, millisecond backoff, no ~/.netrc: failures stay fast and independent of the host.
inline net::EngineOptions quick_engine()
{
    net::EngineOptions options;
    options.max_attempts = 2;
    options.backoff_initial = std::chrono::milliseconds(1);
    options.backoff_max = std::chrono::milliseconds(1);
    options.use_netrc = false;
    return options;
}

}  // namespace gapbundle::sources::pypi::fixtures
