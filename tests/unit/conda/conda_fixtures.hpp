#pragma once

// Records and specs for the conda tests, built from short text.

#include <gapbundle/sources/conda/match_spec.hpp>
#include <gapbundle/sources/conda/record.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::conda::fixtures {

inline VersionOrder version(std::string_view text)
{
    auto parsed = VersionOrder::parse(text);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().message;
        return *VersionOrder::parse("0");
    }
    return *parsed;
}

inline MatchSpec spec(std::string_view text)
{
    auto parsed = MatchSpec::parse(text);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().message;
        return *MatchSpec::parse("invalid-spec-in-test");
    }
    return *parsed;
}

inline std::vector<MatchSpec> specs(const std::vector<std::string>& texts)
{
    std::vector<MatchSpec> out;
    for (const auto& text : texts) out.push_back(spec(text));
    return out;
}

// record("numpy", "1.26.4", "py311h_0", {"python >=3.11,<3.12.0a0"}); the rest via the fields.
inline RepodataRecord record(std::string name, std::string_view version_text, std::string build,
                             std::vector<std::string> depends = {}, std::string channel = "conda-forge")
{
    RepodataRecord r{.name = std::move(name), .version = version(version_text), .build = std::move(build)};
    r.depends = std::move(depends);
    r.channel = std::move(channel);
    r.subdir = "linux-64";
    r.filename = r.name + "-" + std::string(version_text) + "-" + r.build + ".conda";
    return r;
}

}  // namespace gapbundle::sources::conda::fixtures
