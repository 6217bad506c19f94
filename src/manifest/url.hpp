#pragma once

// Small URL helpers shared by the manifest and the lock (not a general URL parser).

#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::manifest::url {

// The lowercase scheme of "scheme://...", or nullopt when `text` is not of that shape (a path).
std::optional<std::string> scheme(std::string_view text);
// The "user:password@" part of the authority, when present.
[[nodiscard]] bool has_credentials(std::string_view text);
// The URL without "user:password@".
std::string strip_credentials(std::string_view text);
// "%20" → " "; malformed escapes are kept as they are.
std::string percent_decode(std::string_view text);
// The authority ("host:port") of "scheme://authority/path".
std::string_view authority(std::string_view text);
// The path of "scheme://authority/path?query#fragment", starting with '/' (or empty).
std::string_view path(std::string_view text);
// The decoded last path segment ("" when the path ends in '/').
std::string file_name(std::string_view text);

}  // namespace gapbundle::manifest::url
