#pragma once

// Streams a repodata.json through nlohmann's SAX interface into plain fields, without building
// the document tree: a large channel's repodata is hundreds of MB of JSON.

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda {

// One entry of "packages" or "packages.conda" as written, before any checks.
struct RawRecord {
    std::string filename;
    std::string name;
    std::string version;
    std::string build;
    bool has_build = false;
    std::uint64_t build_number = 0;
    std::vector<std::string> depends;
    std::vector<std::string> constrains;
    std::string track_features;  // joined with spaces when given as a list
    std::uint64_t timestamp = 0;
    std::string sha256;
    std::string md5;
    std::uint64_t size = 0;
    std::string subdir;
    std::string noarch;
    std::string error;  // the first problem seen: the entry is to be skipped
};

struct RawRepodata {
    std::string subdir;
    std::string base_url;
    std::vector<RawRecord> conda_packages;  // "packages.conda", in document order
    std::vector<RawRecord> tar_packages;    // "packages"
    std::vector<std::string> removed;
};

// Errors (ErrorCode::download) name the channel and the problem with the document as a whole:
// "repodata for conda-forge/noarch: 'packages' is not an object". A bad entry is not an error: it
// comes back with RawRecord::error set.
Result<RawRepodata> read_repodata(std::string_view json, std::string_view channel);

}  // namespace gapbundle::sources::conda
