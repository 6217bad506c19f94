#include <gapbundle/sources/pypi/wheel_name.hpp>

#include "pep_text.hpp"

#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gapbundle::sources::pypi {
namespace {

using pep_text::is_alnum;
using pep_text::is_digit;

bool all_of(std::string_view s, bool (*allowed)(char))
{
    return std::all_of(s.begin(), s.end(), allowed);
}

// PEP 427 escapes "-" in names and versions to "_", so neither may contain a "-" here.
bool is_escaped_name(std::string_view name)
{
    return !name.empty() && name.find("__") == std::string_view::npos &&
           all_of(name, [](char c) { return is_alnum(c) || c == '_' || c == '.'; });
}

// A loose PEP 440 shape (the Version class decides the rest): starts with a digit or "v".
bool looks_like_version(std::string_view version)
{
    if (version.empty() || !(is_digit(version[0]) || version[0] == 'v' || version[0] == 'V')) return false;
    return all_of(version, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '!'; });
}

bool is_identifier(std::string_view s)
{
    return !s.empty() && !is_digit(s[0]) && all_of(s, [](char c) { return is_alnum(c) || c == '_'; });
}

bool is_tag_word(std::string_view s)
{
    return !s.empty() && all_of(s, [](char c) { return is_alnum(c) || c == '_'; });
}

std::vector<std::string> split_tag_set(std::string_view field)
{
    std::vector<std::string> out;
    for (const auto part : text::split(field, '.')) out.emplace_back(part);
    return out;
}

Result<BuildTag> parse_build_tag(std::string_view text)
{
    const auto digits = static_cast<std::size_t>(
        std::find_if(text.begin(), text.end(), [](char c) { return !is_digit(c); }) - text.begin());
    if (digits == 0) return fail(ErrorCode::download, "build tag '" + std::string(text) + "' must start with a digit");
    BuildTag tag;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, tag.number);
    if (ec != std::errc{}) return fail(ErrorCode::download, "build tag '" + std::string(text) + "' is too large");
    tag.suffix = std::string(text.substr(digits));
    if (!all_of(tag.suffix, [](char c) { return is_alnum(c) || c == '_' || c == '.'; })) {
        return fail(ErrorCode::download, "build tag '" + std::string(text) + "' has an invalid character");
    }
    return tag;
}

Status check_tag_set(std::string_view what, const std::vector<std::string>& parts, bool (*valid)(std::string_view))
{
    for (const auto& part : parts) {
        if (!valid(part)) return fail(ErrorCode::download, "invalid " + std::string(what) + " tag '" + part + "'");
    }
    return {};
}

Result<WheelName> parse_wheel_fields(std::string_view filename)
{
    if (!filename.ends_with(".whl")) return fail(ErrorCode::download, "the extension must be .whl");
    const auto fields = text::split(filename.substr(0, filename.size() - 4), '-');
    if (fields.size() != 5 && fields.size() != 6) {
        return fail(ErrorCode::download, "expected name-version[-build]-python-abi-platform.whl, found " +
                                             std::to_string(fields.size()) + " fields");
    }
    WheelName wheel;
    wheel.filename = std::string(filename);
    wheel.name = std::string(fields[0]);
    if (!is_escaped_name(wheel.name)) return fail(ErrorCode::download, "invalid project name '" + wheel.name + "'");
    wheel.canonical_name = canonical_name(wheel.name);
    wheel.version = std::string(fields[1]);
    if (!looks_like_version(wheel.version)) return fail(ErrorCode::download, "invalid version '" + wheel.version + "'");
    if (fields.size() == 6) {
        auto build = parse_build_tag(fields[2]);
        if (!build) return std::unexpected(build.error());
        wheel.build = std::move(*build);
    }
    wheel.python_tags = split_tag_set(fields[fields.size() - 3]);
    wheel.abi_tags = split_tag_set(fields[fields.size() - 2]);
    wheel.platform_tags = split_tag_set(fields[fields.size() - 1]);
    if (auto ok = check_tag_set("python", wheel.python_tags, is_identifier); !ok) return std::unexpected(ok.error());
    if (auto ok = check_tag_set("abi", wheel.abi_tags, is_tag_word); !ok) return std::unexpected(ok.error());
    if (auto ok = check_tag_set("platform", wheel.platform_tags, is_tag_word); !ok) return std::unexpected(ok.error());
    return wheel;
}

Result<SdistName> parse_sdist_fields(std::string_view filename)
{
    SdistName sdist;
    sdist.filename = std::string(filename);
    std::string_view stem;
    if (filename.ends_with(".tar.gz")) {
        stem = filename.substr(0, filename.size() - 7);
        sdist.format = SdistFormat::tar_gz;
    } else if (filename.ends_with(".zip")) {
        stem = filename.substr(0, filename.size() - 4);
        sdist.format = SdistFormat::zip;
    } else {
        return fail(ErrorCode::download, "the extension must be .tar.gz or .zip");
    }
    const auto dash = stem.rfind('-');
    if (dash == std::string_view::npos) return fail(ErrorCode::download, "expected name-version");
    sdist.name = std::string(stem.substr(0, dash));
    sdist.version = std::string(stem.substr(dash + 1));
    if (!is_valid_project_name(sdist.name))
        return fail(ErrorCode::download, "invalid project name '" + sdist.name + "'");
    if (!looks_like_version(sdist.version)) return fail(ErrorCode::download, "invalid version '" + sdist.version + "'");
    sdist.canonical_name = canonical_name(sdist.name);
    return sdist;
}

}  // namespace

Result<WheelName> parse_wheel_name(std::string_view filename)
{
    auto wheel = parse_wheel_fields(filename);
    if (!wheel)
        return fail(ErrorCode::download,
                    "invalid wheel file name '" + std::string(filename) + "': " + wheel.error().message);
    return wheel;
}

Result<SdistName> parse_sdist_name(std::string_view filename)
{
    auto sdist = parse_sdist_fields(filename);
    if (!sdist)
        return fail(ErrorCode::download,
                    "invalid sdist file name '" + std::string(filename) + "': " + sdist.error().message);
    return sdist;
}

}  // namespace gapbundle::sources::pypi
