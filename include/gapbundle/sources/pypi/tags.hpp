#pragma once

#include <gapbundle/sources/pypi/wheel_name.hpp>
#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gapbundle::sources::pypi {

// One PEP 425 compatibility tag: cp311-abi3-manylinux_2_17_x86_64.
struct Tag {
    std::string interpreter;
    std::string abi;
    std::string platform;

    bool operator==(const Tag&) const = default;
    [[nodiscard]] std::string to_string() const;
};

// The interpreter on the far side of the gap, never this host's.
struct Target {
    std::string python;                  // "3.11" (a patch level is allowed and ignored)
    std::string implementation = "cp";   // only CPython for now
    std::vector<std::string> platforms;  // best first: manylinux_2_28_x86_64, macosx_11_0_arm64, win_amd64...
};

// A platform a target may name: manylinux_2_N_ARCH (PEP 600) and its legacy aliases manylinux1/2010/2014,
// musllinux_1_N_ARCH (PEP 656), macosx_N_N_ARCH, win32, win_amd64, win_arm64, linux_ARCH.
// ErrorCode::manifest naming the tag.
Status validate_platform_tag(std::string_view platform);
Status validate_target(const Target& target);

// Every platform tag a wheel may carry to run on `platform`, best first: a glibc 2.28 target takes
// manylinux_2_28 ... manylinux_2_5 with each legacy alias right after its glibc version; musl 1.2 takes
// musllinux_1_2 ... 1_0; macOS takes every older release and the fat formats, as packaging's mac_platforms.
// An invalid platform stands only for itself.
std::vector<std::string> compatible_platforms(std::string_view platform);

// The tags the target accepts, best first, in packaging's order (cpython_tags then compatible_tags).
// Empty for a target that validate_target rejects.
std::vector<Tag> supported_tags(const Target& target);

// The tags of a wheel's compressed tag sets (their cartesian product).
std::vector<Tag> wheel_tags(const WheelName& wheel);

// The position of the best supported tag the wheel carries (lower is better); nullopt when it does not fit.
std::optional<std::size_t> rank(const Tag& tag, const std::vector<Tag>& supported);
std::optional<std::size_t> best_rank(const WheelName& wheel, const std::vector<Tag>& supported);

// The same ranking with a hash lookup, for ranking many wheels against one target.
class TagRanks {
public:
    explicit TagRanks(const std::vector<Tag>& supported);

    [[nodiscard]] std::optional<std::size_t> rank(const Tag& tag) const;
    [[nodiscard]] std::optional<std::size_t> best_rank(const WheelName& wheel) const;

private:
    std::unordered_map<std::string, std::size_t> m_ranks;
};

}  // namespace gapbundle::sources::pypi
