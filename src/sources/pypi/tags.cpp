#include <gapbundle/sources/pypi/tags.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gapbundle::sources::pypi {
namespace {

enum class Family { manylinux, musllinux, macos, windows, linux };

// A target platform taken apart: manylinux_2_28_x86_64 -> {manylinux, 2, 28, "x86_64"}.
struct PlatformParts {
    Family family = Family::linux;
    unsigned major = 0;
    unsigned minor = 0;
    std::string arch;
};

struct LegacyManylinux {
    std::string_view prefix;
    unsigned glibc_minor;
};

// PEP 600's table of the names that came before manylinux_2_N.
constexpr LegacyManylinux k_legacy_manylinux[] = {{"manylinux2014_", 17}, {"manylinux2010_", 12}, {"manylinux1_", 5}};

const std::vector<std::string_view> k_manylinux2014_arches = {"x86_64", "i686",    "aarch64", "armv7l",
                                                              "ppc64",  "ppc64le", "s390x"};

Status invalid(std::string_view platform, std::string_view why)
{
    return fail(ErrorCode::manifest, "invalid platform tag '" + std::string(platform) + "': " + std::string(why));
}

bool is_arch(std::string_view arch)
{
    return !arch.empty() && std::all_of(arch.begin(), arch.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

// "2_28_x86_64" -> 2, 28, "x86_64".
std::optional<PlatformParts> parse_versioned(Family family, std::string_view rest)
{
    PlatformParts parts{.family = family, .major = 0, .minor = 0, .arch = {}};
    const char* const end = rest.data() + rest.size();
    auto [after_major, ec1] = std::from_chars(rest.data(), end, parts.major);
    if (ec1 != std::errc{} || after_major == end || *after_major != '_') return std::nullopt;
    auto [after_minor, ec2] = std::from_chars(after_major + 1, end, parts.minor);
    if (ec2 != std::errc{} || after_minor == end || *after_minor != '_') return std::nullopt;
    parts.arch = std::string(after_minor + 1, end);
    if (!is_arch(parts.arch)) return std::nullopt;
    return parts;
}

bool is_x86(std::string_view arch)
{
    return arch == "x86_64" || arch == "i686";
}

Result<PlatformParts> parse_manylinux(std::string_view platform)
{
    for (const auto& legacy : k_legacy_manylinux) {
        if (!platform.starts_with(legacy.prefix)) continue;
        const std::string arch(platform.substr(legacy.prefix.size()));
        const bool known = legacy.glibc_minor == 17
                               ? std::ranges::find(k_manylinux2014_arches, arch) != k_manylinux2014_arches.end()
                               : is_x86(arch);
        if (!known) {
            auto why =
                std::string(legacy.prefix.substr(0, legacy.prefix.size() - 1)) + " has no architecture '" + arch + "'";
            return std::unexpected(invalid(platform, why).error());
        }
        return PlatformParts{.family = Family::manylinux, .major = 2, .minor = legacy.glibc_minor, .arch = arch};
    }
    std::optional<PlatformParts> parts;
    if (platform.starts_with("manylinux_")) parts = parse_versioned(Family::manylinux, platform.substr(10));
    if (!parts) return std::unexpected(invalid(platform, "expected manylinux_2_MINOR_ARCH (PEP 600)").error());
    if (parts->major != 2) return std::unexpected(invalid(platform, "the glibc major version is 2").error());
    return *parts;
}

Result<PlatformParts> parse_platform_shape(std::string_view platform)
{
    if (platform.starts_with("manylinux")) return parse_manylinux(platform);
    if (platform.starts_with("musllinux_")) {
        auto parts = parse_versioned(Family::musllinux, platform.substr(10));
        if (!parts) return std::unexpected(invalid(platform, "expected musllinux_1_MINOR_ARCH (PEP 656)").error());
        if (parts->major != 1) return std::unexpected(invalid(platform, "the musl major version is 1").error());
        return *parts;
    }
    if (platform.starts_with("macosx_")) {
        auto parts = parse_versioned(Family::macos, platform.substr(7));
        if (!parts) return std::unexpected(invalid(platform, "expected macosx_MAJOR_MINOR_ARCH").error());
        const bool old_arch = parts->arch == "i386" || parts->arch == "ppc" || parts->arch == "ppc64";
        if (parts->arch != "x86_64" && parts->arch != "arm64" && !old_arch) {
            return std::unexpected(invalid(platform, "the macOS architecture is x86_64 or arm64").error());
        }
        if (parts->major < 10) return std::unexpected(invalid(platform, "macOS versions start at 10").error());
        if (parts->arch == "arm64" && parts->major == 10) {
            return std::unexpected(invalid(platform, "arm64 macOS starts at 11.0").error());
        }
        if (old_arch && parts->major != 10) {
            return std::unexpected(invalid(platform, parts->arch + " macOS ends with 10.x").error());
        }
        return *parts;
    }
    if (platform == "win32" || platform == "win_amd64" || platform == "win_arm64") {
        return PlatformParts{.family = Family::windows, .major = 0, .minor = 0, .arch = {}};
    }
    if (platform.starts_with("linux_") && is_arch(platform.substr(6))) {
        return PlatformParts{.family = Family::linux, .major = 0, .minor = 0, .arch = std::string(platform.substr(6))};
    }
    return std::unexpected(invalid(platform,
                                   "expected manylinux_2_N_ARCH, musllinux_1_N_ARCH, macosx_N_N_ARCH, "
                                   "win_amd64, win32, win_arm64 or linux_ARCH")
                               .error());
}

// The bound keeps the expansion finite: manylinux_2_4000000000_x86_64 would list four billion tags.
constexpr unsigned k_max_version_number = 99;

Result<PlatformParts> parse_platform(std::string_view platform)
{
    auto parts = parse_platform_shape(platform);
    if (parts && (parts->major > k_max_version_number || parts->minor > k_max_version_number)) {
        return std::unexpected(invalid(platform, "version numbers stop at 99").error());
    }
    return parts;
}

std::string versioned(std::string_view prefix, unsigned major, unsigned minor, std::string_view arch)
{
    return std::string(prefix) + std::to_string(major) + "_" + std::to_string(minor) + "_" + std::string(arch);
}

std::vector<std::string> manylinux_platforms(const PlatformParts& glibc)
{
    // glibc on x86 goes back to manylinux1 (2.5); the other architectures start at manylinux2014 (2.17).
    const unsigned oldest = is_x86(glibc.arch) ? 5 : 17;
    if (glibc.minor < oldest) return {versioned("manylinux_", 2, glibc.minor, glibc.arch)};
    std::vector<std::string> out;
    for (unsigned minor = glibc.minor; minor + 1 > oldest; --minor) {
        out.push_back(versioned("manylinux_", 2, minor, glibc.arch));
        for (const auto& legacy : k_legacy_manylinux) {
            if (legacy.glibc_minor == minor) out.push_back(std::string(legacy.prefix) + glibc.arch);
        }
    }
    return out;
}

std::vector<std::string> musllinux_platforms(const PlatformParts& musl)
{
    std::vector<std::string> out;
    for (unsigned minor = musl.minor + 1; minor-- > 0;)
        out.push_back(versioned("musllinux_", musl.major, minor, musl.arch));
    return out;
}

// packaging's _mac_binary_formats: the fat formats that hold `arch` on that release.
std::vector<std::string_view> mac_binary_formats(unsigned major, unsigned minor, std::string_view arch)
{
    const auto before = [&](unsigned m) { return major == 10 && minor < m; };
    const auto after = [&](unsigned m) { return major > 10 || minor > m; };
    std::vector<std::string_view> formats = {arch};
    if (arch == "x86_64") {
        if (before(4)) return {};
        formats.insert(formats.end(), {"intel", "fat64", "fat3"});
    } else if (arch == "i386") {
        if (before(4)) return {};
        formats.insert(formats.end(), {"intel", "fat3", "fat"});
    } else if (arch == "ppc64") {
        if (after(5) || before(4)) return {};
        formats.push_back("fat64");
    } else if (arch == "ppc") {
        if (after(6)) return {};
        formats.insert(formats.end(), {"fat3", "fat"});
    }
    if (arch == "arm64" || arch == "x86_64") formats.push_back("universal2");
    if (arch != "arm64") formats.push_back("universal");
    return formats;
}

void add_mac_release(std::vector<std::string>& out, unsigned major, unsigned minor, std::string_view arch)
{
    for (const auto format : mac_binary_formats(major, minor, arch))
        out.push_back(versioned("macosx_", major, minor, format));
}

std::vector<std::string> macos_platforms(const PlatformParts& mac)
{
    std::vector<std::string> out;
    if (mac.major == 10) {
        for (unsigned minor = mac.minor + 1; minor-- > 0;) add_mac_release(out, 10, minor, mac.arch);
        return out;
    }
    // Since 11 the major number is the yearly release; wheels name it with minor 0.
    for (unsigned major = mac.major; major >= 11; --major) add_mac_release(out, major, 0, mac.arch);
    // x86_64 still runs 10.x binaries; arm64 only the universal2 ones whose x86_64 half targets 10.x.
    for (unsigned minor = 16; minor >= 4; --minor) {
        if (mac.arch == "x86_64") {
            add_mac_release(out, 10, minor, mac.arch);
        } else {
            out.push_back(versioned("macosx_", 10, minor, "universal2"));
        }
    }
    return out;
}

struct PythonVersion {
    unsigned major = 0;
    unsigned minor = 0;
};

std::optional<PythonVersion> parse_python(std::string_view text)
{
    PythonVersion version;
    const char* const end = text.data() + text.size();
    auto [after_major, ec1] = std::from_chars(text.data(), end, version.major);
    if (ec1 != std::errc{} || after_major == end || *after_major != '.') return std::nullopt;
    auto [after_minor, ec2] = std::from_chars(after_major + 1, end, version.minor);
    if (ec2 != std::errc{}) return std::nullopt;
    if (after_minor != end) {
        unsigned patch = 0;
        if (*after_minor != '.') return std::nullopt;
        auto [after_patch, ec3] = std::from_chars(after_minor + 1, end, patch);
        if (ec3 != std::errc{} || after_patch != end) return std::nullopt;
    }
    return version;
}

std::string nodot(unsigned major, unsigned minor)
{
    return std::to_string(major) + std::to_string(minor);
}

std::vector<std::string> target_platforms(const Target& target)
{
    std::vector<std::string> out;
    for (const auto& platform : target.platforms) {
        for (auto& compatible : compatible_platforms(platform)) {
            if (std::ranges::find(out, compatible) == out.end()) out.push_back(std::move(compatible));
        }
    }
    return out;
}

void add_tags(std::vector<Tag>& out, const std::string& interpreter, const std::string& abi,
              const std::vector<std::string>& platforms)
{
    for (const auto& platform : platforms)
        out.push_back(Tag{.interpreter = interpreter, .abi = abi, .platform = platform});
}

// packaging's cpython_tags: this ABI, then abi3, then none, then abi3 of every older 3.x down to 3.2.
void add_cpython_tags(std::vector<Tag>& out, PythonVersion python, const std::vector<std::string>& platforms)
{
    const std::string interpreter = "cp" + nodot(python.major, python.minor);
    // Before 3.8 every CPython build had pymalloc's "m" in its ABI.
    add_tags(out, interpreter, python.minor < 8 ? interpreter + "m" : interpreter, platforms);
    const bool has_abi3 = python.major == 3 && python.minor >= 2;
    if (has_abi3) add_tags(out, interpreter, "abi3", platforms);
    add_tags(out, interpreter, "none", platforms);
    if (!has_abi3) return;
    for (unsigned minor = python.minor - 1; minor >= 2; --minor) {
        add_tags(out, "cp" + nodot(python.major, minor), "abi3", platforms);
    }
}

// py311, py3, py310 ... py30.
std::vector<std::string> python_interpreters(PythonVersion python)
{
    std::vector<std::string> out = {"py" + nodot(python.major, python.minor), "py" + std::to_string(python.major)};
    for (unsigned minor = python.minor; minor-- > 0;) out.push_back("py" + nodot(python.major, minor));
    return out;
}

// packaging's compatible_tags: py*-none-PLATFORM, then INTERPRETER-none-any, then py*-none-any.
void add_compatible_tags(std::vector<Tag>& out, PythonVersion python, const std::vector<std::string>& platforms)
{
    const auto interpreters = python_interpreters(python);
    for (const auto& interpreter : interpreters) add_tags(out, interpreter, "none", platforms);
    add_tags(out, "cp" + nodot(python.major, python.minor), "none", {"any"});
    for (const auto& interpreter : interpreters) add_tags(out, interpreter, "none", {"any"});
}

std::string tag_key(std::string_view interpreter, std::string_view abi, std::string_view platform)
{
    std::string key;
    key.reserve(interpreter.size() + abi.size() + platform.size() + 2);
    key.append(interpreter).append("-").append(abi).append("-").append(platform);
    return key;
}

}  // namespace

std::string Tag::to_string() const
{
    return tag_key(interpreter, abi, platform);
}

Status validate_platform_tag(std::string_view platform)
{
    auto parts = parse_platform(platform);
    if (!parts) return std::unexpected(parts.error());
    return {};
}

Status validate_target(const Target& target)
{
    const auto python = parse_python(target.python);
    if (!python || python->major != 3) {
        return fail(ErrorCode::manifest, "invalid target python '" + target.python + "': expected 3.MINOR, e.g. 3.11");
    }
    if (target.implementation != "cp") {
        return fail(ErrorCode::manifest, "unsupported target implementation '" + target.implementation +
                                             "': only cp (CPython) is supported");
    }
    if (target.platforms.empty()) return fail(ErrorCode::manifest, "the target names no platform");
    bool glibc = false;
    bool musl = false;
    for (const auto& platform : target.platforms) {
        auto parts = parse_platform(platform);
        if (!parts) return std::unexpected(parts.error());
        glibc = glibc || parts->family == Family::manylinux;
        musl = musl || parts->family == Family::musllinux;
    }
    if (glibc && musl) return fail(ErrorCode::manifest, "a target is glibc (manylinux) or musl (musllinux), not both");
    return {};
}

std::vector<std::string> compatible_platforms(std::string_view platform)
{
    auto parts = parse_platform(platform);
    if (!parts) return {std::string(platform)};
    switch (parts->family) {
        case Family::manylinux:
            return manylinux_platforms(*parts);
        case Family::musllinux:
            return musllinux_platforms(*parts);
        case Family::macos:
            return macos_platforms(*parts);
        case Family::windows:
        case Family::linux:
            break;
    }
    return {std::string(platform)};
}

std::vector<Tag> supported_tags(const Target& target)
{
    if (!validate_target(target)) return {};
    const auto python = parse_python(target.python);
    const auto platforms = target_platforms(target);
    std::vector<Tag> tags;
    add_cpython_tags(tags, *python, platforms);
    add_compatible_tags(tags, *python, platforms);
    return tags;
}

std::vector<Tag> wheel_tags(const WheelName& wheel)
{
    std::vector<Tag> tags;
    for (const auto& interpreter : wheel.python_tags) {
        for (const auto& abi : wheel.abi_tags) {
            for (const auto& platform : wheel.platform_tags) {
                tags.push_back(Tag{.interpreter = interpreter, .abi = abi, .platform = platform});
            }
        }
    }
    return tags;
}

std::optional<std::size_t> rank(const Tag& tag, const std::vector<Tag>& supported)
{
    const auto found = std::ranges::find(supported, tag);
    if (found == supported.end()) return std::nullopt;
    return static_cast<std::size_t>(found - supported.begin());
}

std::optional<std::size_t> best_rank(const WheelName& wheel, const std::vector<Tag>& supported)
{
    return TagRanks(supported).best_rank(wheel);
}

TagRanks::TagRanks(const std::vector<Tag>& supported)
{
    for (std::size_t i = 0; i < supported.size(); ++i) m_ranks.try_emplace(supported[i].to_string(), i);
}

std::optional<std::size_t> TagRanks::rank(const Tag& tag) const
{
    const auto found = m_ranks.find(tag.to_string());
    if (found == m_ranks.end()) return std::nullopt;
    return found->second;
}

std::optional<std::size_t> TagRanks::best_rank(const WheelName& wheel) const
{
    std::optional<std::size_t> best;
    for (const auto& interpreter : wheel.python_tags) {
        for (const auto& abi : wheel.abi_tags) {
            for (const auto& platform : wheel.platform_tags) {
                const auto found = m_ranks.find(tag_key(interpreter, abi, platform));
                if (found != m_ranks.end() && (!best || found->second < *best)) best = found->second;
            }
        }
    }
    return best;
}

}  // namespace gapbundle::sources::pypi
