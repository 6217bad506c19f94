#pragma once

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/source_kind.hpp>

#include <memory>
#include <string_view>

namespace gapbundle::sources {

// The "pip" kind: Python packages resolved for the target interpreter from PEP 503/691 indexes,
// carried under pypi/ in the bundle (docs/bundle-format.md).
std::unique_ptr<SourceKind> make_pip_kind();

// The credentials a download of a pip file from `url` gets: the pip section's (from the
// environment variables it names), when `url` has the origin of one of its indexes; else none
// (netrc still applies). ErrorCode::manifest when a named variable is not set.
Result<net::Credentials> pip_credentials_for(const manifest::Manifest& manifest, std::string_view url);

}  // namespace gapbundle::sources
