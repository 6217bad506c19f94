#pragma once

#include <gapbundle/sources/conda/version.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace gapbundle::sources::conda {

// One package of a channel's repodata (CEP 36): the package's index.json as the channel
// patched it, plus the file's hashes and where it came from.
struct RepodataRecord {
    std::string name;  // lower case
    VersionOrder version;
    std::string build{};
    std::uint64_t build_number = 0;
    std::vector<std::string> depends{};     // MatchSpec strings, unparsed
    std::vector<std::string> constrains{};  // MatchSpec strings, unparsed
    std::vector<std::string> track_features{};
    std::uint64_t timestamp = 0;  // ms since the epoch (seconds in old records are scaled)
    std::string sha256{};         // lower-case hex; empty when the channel gives none
    std::string md5{};
    std::uint64_t size = 0;
    std::string subdir{};    // "linux-64", "noarch"
    std::string filename{};  // "numpy-1.26.4-py311h64a7726_0.conda"
    std::string channel{};   // as the caller names it: "conda-forge", a URL...
    std::string noarch{};    // "", "python" or "generic"
};

}  // namespace gapbundle::sources::conda
