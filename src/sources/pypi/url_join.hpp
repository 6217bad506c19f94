#pragma once

#include <string>
#include <string_view>

namespace gapbundle::sources::pypi {

// RFC 3986 section 5.2 reference resolution: `reference` (absolute, "//host/p", "/p", "p", "../p",
// "?q", "#f" or "") read against the absolute URL `base`. Strict: a reference with a scheme is
// absolute even when the scheme equals the base's.
std::string resolve_url(std::string_view base, std::string_view reference);

// The URL without its "#fragment".
std::string_view strip_fragment(std::string_view url);

// The last segment of the URL's path, percent-decoded: ".../numpy-2.0.0%2Bcpu.whl?x#y" -> "numpy-2.0.0+cpu.whl".
std::string last_path_segment(std::string_view url);

// "%2B" -> "+"; a malformed escape stays as it is.
std::string percent_decode(std::string_view text);

}  // namespace gapbundle::sources::pypi
