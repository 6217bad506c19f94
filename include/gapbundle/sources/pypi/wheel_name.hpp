#pragma once

#include <gapbundle/sources/pypi/project_name.hpp>
#include <gapbundle/util/error.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi {

// PEP 427 build tag: digits first, then anything; sorts as (number, suffix).
struct BuildTag {
    std::uint64_t number = 0;
    std::string suffix;

    auto operator<=>(const BuildTag&) const = default;
};

// {name}-{version}(-{build})?-{python tags}-{abi tags}-{platform tags}.whl, each tag field a
// "."-joined compressed set ("py2.py3").
struct WheelName {
    std::string filename;
    std::string name;            // as written: "pydantic_core"
    std::string canonical_name;  // "pydantic-core"
    std::string version;         // PEP 440 text, not normalised here
    std::optional<BuildTag> build;
    std::vector<std::string> python_tags;
    std::vector<std::string> abi_tags;
    std::vector<std::string> platform_tags;

    bool operator==(const WheelName&) const = default;
};

// Errors are ErrorCode::download and name the file: "invalid wheel file name 'x.whl': ...".
Result<WheelName> parse_wheel_name(std::string_view filename);

enum class SdistFormat { tar_gz, zip };

// {name}-{version}.tar.gz or .zip, split at the last "-" (PEP 625; legacy dashed names keep their dashes).
struct SdistName {
    std::string filename;
    std::string name;
    std::string canonical_name;
    std::string version;
    SdistFormat format = SdistFormat::tar_gz;

    bool operator==(const SdistName&) const = default;
};

Result<SdistName> parse_sdist_name(std::string_view filename);

}  // namespace gapbundle::sources::pypi
