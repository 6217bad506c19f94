#pragma once

#include <gapbundle/sources/conda/record.hpp>
#include <gapbundle/util/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::conda {

struct Repodata {
    std::string subdir;                   // info.subdir; empty when absent
    std::string base_url;                 // info.base_url (repodata_version 2); empty when absent
    std::vector<RepodataRecord> records;  // sorted by filename
    // Entries left out, "filename: why" (an unreadable version, a missing name...), so a caller
    // can say what it could not use instead of failing on one bad package of a large channel.
    std::vector<std::string> skipped;
};

// Streams a repodata.json (CEP 36) without building a document tree: "packages" (.tar.bz2) and
// "packages.conda" (.conda); when a name-version-build is in both, only the .conda is kept;
// filenames under "removed" are dropped. Each record gets `channel`, and info.subdir when it has
// no subdir of its own. Timestamps in seconds become ms (values up to 253402300799 are seconds,
// as libmamba reads them). A document that is not repodata fails with ErrorCode::download:
// "repodata for conda-forge/linux-64: 'packages' is not an object".
Result<Repodata> parse_repodata(std::string_view json, std::string_view channel);

}  // namespace gapbundle::sources::conda
