#pragma once

// A classic Helm chart repository's index.yaml, read as `helm repo add` and `helm pull` read it
// (helm's pkg/repo/v1/index.go and chartrepo.go).

#include <gapbundle/sources/helm/semver.hpp>
#include <gapbundle/util/error.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::helm {

struct ChartVersion {
    std::string name;
    std::string version;       // as written
    SemVer semver;             // parsed from `version`
    std::string app_version;
    std::string api_version;   // the chart's: v1 (default) or v2
    std::string digest;        // sha256 hex of the .tgz, lower case; empty when the index gives none
    std::vector<std::string> urls;
    int line = 0;              // where the entry starts in index.yaml
};

struct ChartIndex {
    // By chart name, newest first (SemVer order; the version text breaks ties).
    std::map<std::string, std::vector<ChartVersion>> entries;
    // Entries left out, "NAME[i] (line N): why", as helm skips invalid entries with a warning.
    std::vector<std::string> skipped;
};

// Errors are ErrorCode::download and start with "WHERE:LINE:COL: " (WHERE names the file, e.g.
// its redacted URL): a YAML syntax error, a document that is not a mapping, no `apiVersion`
// (helm's "no API version specified"), `entries` not a mapping of lists.
Result<ChartIndex> parse_chart_index(std::string_view yaml, std::string_view where);

// The version `helm pull --version CONSTRAINT` takes: an entry whose version text equals the
// constraint, else the newest whose version fits it (an empty constraint is "*"; `devel` lets
// pre-releases fit, as --devel). ErrorCode::download naming the chart and, when the name is
// known, the versions there are: "chart 'redis' has no version fitting '^19' (versions: 18.6.4,
// 18.1.0, ...)"; a bad constraint is ErrorCode::manifest.
Result<const ChartVersion*> select_chart(const ChartIndex& index, std::string_view name, std::string_view constraint,
                                         bool devel = false);

// A chart's URL from the index resolved as helm resolves it: an absolute URL as it is; a
// relative one against the repository URL with a '/' forced at its end, and the repository
// URL's query string copied onto it.
std::string resolve_chart_url(std::string_view repository_url, std::string_view chart_url);

}  // namespace gapbundle::sources::helm
