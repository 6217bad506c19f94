#pragma once

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::text {

std::string to_hex(std::span<const std::uint8_t> bytes);
int hex_value(char c);  // 0-15 for a hex digit of either case, else -1
// Decodes exactly out.size() bytes from 2 * out.size() hex digits; false on anything else.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out);
bool is_sha256_hex(std::string_view s);
// Letters, digits, '.', '_' and '-', and not "." or "..": a bundle's name or channel, which also
// names files (the gap side's channel state).
bool is_safe_name(std::string_view name);  // 64 lowercase hex digits
// Equal but for ASCII case (header names, hex digests).
bool iequals(std::string_view a, std::string_view b);
std::string base64_encode(std::span<const std::uint8_t> bytes);
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

// Human-readable byte count: "1.5 MiB".
std::string human_bytes(std::uint64_t bytes);

// A byte count as split(1) reads one: digits, then optionally K, M, G or T (also KiB, MiB, …:
// powers of 1024) or KB, MB, GB, TB (powers of 1000), letters in either case. nullopt when it is
// not one, is 0 or does not fit 64 bits.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// RFC 3986 percent-encoding: every byte but the unreserved characters (ASCII letters, digits,
// '-', '.', '_', '~') and those in `keep` becomes %XX (upper-case hex).
std::string percent_encode(std::string_view text, std::string_view keep = {});

// Replaces user:password@ in a URL by "***@" (for logs and errors).
std::string redact_url(std::string_view url);

// "scheme://host:port" of a URL, lower case, without user info; "" when it has no "://".
// Credentials go only to URLs of the same origin.
std::string url_origin(std::string_view url);

// Text made safe in HTML content and in double- or single-quoted attributes: & < > " ' escaped.
std::string html_escape(std::string_view text);

}  // namespace gapbundle::text
