#include <gapbundle/sources/pypi/target_environment.hpp>

#include <algorithm>
#include <string_view>

namespace gapbundle::sources::pypi {

namespace {

struct PlatformFacts {
    std::string system;        // platform_system
    std::string sys_platform;
    std::string os_name;
    std::string machine;       // platform_machine
};

// The architecture after the last '_' of a Linux or macOS tag; "x86_64" keeps its underscore.
std::string_view tail_architecture(std::string_view platform)
{
    if (platform.ends_with("x86_64")) return "x86_64";
    const auto underscore = platform.rfind('_');
    return underscore == std::string_view::npos ? platform : platform.substr(underscore + 1);
}

PlatformFacts facts_of(std::string_view platform)
{
    if (platform == "win_amd64") return {"Windows", "win32", "nt", "AMD64"};
    if (platform == "win32") return {"Windows", "win32", "nt", "x86"};
    if (platform == "win_arm64") return {"Windows", "win32", "nt", "ARM64"};
    if (platform.starts_with("macosx_")) {
        const auto arch = tail_architecture(platform);
        // platform.machine() on a Mac: arm64 or x86_64; the fat formats run natively on arm64 Macs.
        const bool intel = arch == "x86_64" || arch == "intel" || arch == "i386" || arch == "fat32" ||
                           arch == "fat64" || arch == "fat3";
        return {"Darwin", "darwin", "posix", intel ? "x86_64" : "arm64"};
    }
    return {"Linux", "linux", "posix", std::string(tail_architecture(platform))};
}

}  // namespace

Result<MarkerEnvironment> marker_environment(const Target& target)
{
    if (auto st = validate_target(target); !st) return std::unexpected(st.error());
    const PlatformFacts first = facts_of(target.platforms.front());
    for (const auto& platform : target.platforms) {
        const PlatformFacts facts = facts_of(platform);
        if (facts.system != first.system || facts.machine != first.machine)
            return fail(ErrorCode::manifest, "target platforms " + target.platforms.front() + " and " + platform +
                                                 " are for different systems (" + first.system + " " + first.machine +
                                                 ", " + facts.system + " " + facts.machine +
                                                 "); markers need one: list platforms of one system and machine");
    }
    std::string full = target.python;
    if (std::count(full.begin(), full.end(), '.') == 1) full += ".0";
    const std::string short_version = full.substr(0, full.rfind('.'));
    return MarkerEnvironment{.python_version = short_version,
                             .python_full_version = full,
                             .implementation_name = "cpython",
                             .implementation_version = full,
                             .platform_python_implementation = "CPython",
                             .platform_machine = first.machine,
                             .platform_system = first.system,
                             .platform_release = "",
                             .platform_version = "",
                             .sys_platform = first.sys_platform,
                             .os_name = first.os_name,
                             .extra = ""};
}

}  // namespace gapbundle::sources::pypi
