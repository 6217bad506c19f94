#pragma once

// The index.yaml of the chart repository the bundle carries under helm/: every chart with its
// digest and a URL relative to the index, so that any web server serving the folder is a chart
// repository (`helm repo add NAME http://HOST/helm`).

#include <string>
#include <vector>

namespace gapbundle::sources::helm {

struct LocalChart {
    std::string api_version;  // the chart's: v1 or v2
    std::string name;
    std::string version;
    std::string app_version;  // may be empty
    std::string file;         // "redis-18.6.4.tgz", beside index.yaml
    std::string digest;       // sha256 hex of the file
};

// Deterministic bytes: entries by name, each newest first (SemVer order), no `generated` time,
// so that the same charts always give the same index.
std::string local_index_yaml(std::vector<LocalChart> charts);

}  // namespace gapbundle::sources::helm
