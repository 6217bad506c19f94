#pragma once

// The repodata.json of the channel a bundle carries (conda/<channel-name>/<subdir>/), listing
// exactly the packages carried there, so that `conda install --offline -c file://…` and mamba
// find them and nothing else.

#include <gapbundle/sources/conda/record.hpp>

#include <span>
#include <string>
#include <string_view>

namespace gapbundle::sources::conda {

// Canonical JSON (sorted keys, no whitespace): `info.subdir`, `.tar.bz2` files under "packages"
// and `.conda` files under "packages.conda", each with the fields conda reads (name, version,
// build, build_number, depends, constrains, track_features as one space-separated string,
// timestamp, size, sha256, md5, subdir, noarch), an empty "removed" and repodata_version 1.
// The same records in any order give the same bytes. An empty span gives the empty repodata
// conda expects in a noarch folder with no packages.
std::string local_repodata_json(std::string_view subdir, std::span<const RepodataRecord> records);

}  // namespace gapbundle::sources::conda
