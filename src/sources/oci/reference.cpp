#include <gapbundle/sources/oci/reference.hpp>

#include <algorithm>
#include <array>

namespace gapbundle::sources::oci {

namespace {

constexpr std::string_view k_legacy_docker_hub = "index.docker.io";
constexpr std::string_view k_official_prefix = "library/";
constexpr std::string_view k_default_tag = "latest";
constexpr std::size_t k_max_tag_length = 128;

bool is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c)
{
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
bool is_lower_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_hex(char c)
{
    return is_lower_hex(c) || (c >= 'A' && c <= 'F');
}
bool is_word(char c)
{
    return is_alnum(c) || c == '_';
}
bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

bool all_of(std::string_view s, bool (*pred)(char))
{
    return std::all_of(s.begin(), s.end(), pred);
}

// [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
bool is_path_component(std::string_view s)
{
    std::size_t i = 0;
    while (true) {
        const std::size_t run_start = i;
        while (i < s.size() && is_lower_alnum(s[i])) ++i;
        if (i == run_start) return false;  // empty, or a separator at the start or after a separator
        if (i == s.size()) return true;
        const std::size_t sep_start = i;
        while (i < s.size() && (s[i] == '.' || s[i] == '_' || s[i] == '-')) ++i;
        const std::string_view sep = s.substr(sep_start, i - sep_start);
        if (sep.empty()) return false;  // a character outside the grammar
        const bool ok = sep == "." || sep == "_" || sep == "__" || all_of(sep, [](char c) { return c == '-'; });
        if (!ok) return false;
    }
}

// (?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])
bool is_domain_component(std::string_view s)
{
    if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
    return all_of(s, [](char c) { return is_alnum(c) || c == '-'; });
}

// (?:domain-name | \[ipv6\]) (?::[0-9]+)?
bool is_registry_host(std::string_view s)
{
    std::string_view host = s;
    std::string_view port;
    bool has_port = false;
    if (s.starts_with('[')) {
        const auto close = s.find(']');
        if (close == std::string_view::npos) return false;
        const auto inner = s.substr(1, close - 1);
        if (inner.empty() || !all_of(inner, [](char c) { return is_hex(c) || c == ':'; })) return false;
        const auto rest = s.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return false;
            has_port = true;
            port = rest.substr(1);
        }
        host = {};
    } else if (const auto colon = s.find(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        port = s.substr(colon + 1);
        has_port = true;
    }
    if (has_port && (port.empty() || !all_of(port, is_digit))) return false;
    if (s.starts_with('[')) return true;
    std::size_t start = 0;
    while (true) {
        const auto dot = host.find('.', start);
        if (!is_domain_component(host.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

// [\w][\w.-]{0,127}
bool is_tag(std::string_view s)
{
    if (s.empty() || s.size() > k_max_tag_length || !is_word(s.front())) return false;
    return all_of(s, [](char c) { return is_word(c) || c == '.' || c == '-'; });
}

struct DigestAlgorithm {
    std::string_view name;
    std::size_t hex_length;
};
constexpr std::array<DigestAlgorithm, 3> k_digest_algorithms{{{"sha256", 64}, {"sha384", 96}, {"sha512", 128}}};

struct SplitName {
    std::string registry;
    std::string repository;
    bool explicit_registry = false;
};

// Docker's rule: a first component (followed by '/') with a '.' or a ':', or "localhost", is a registry.
bool looks_like_registry(std::string_view first)
{
    return first.find_first_of(".:") != std::string_view::npos || first == "localhost";
}

SplitName split_registry(std::string_view name)
{
    SplitName split;
    const auto slash = name.find('/');
    const auto first = name.substr(0, slash);
    if (slash != std::string_view::npos && looks_like_registry(first)) {
        split.registry = std::string(first);
        split.repository = std::string(name.substr(slash + 1));
        split.explicit_registry = true;
    } else {
        split.registry = std::string(k_docker_hub);
        split.repository = std::string(name);
    }
    if (split.registry == k_legacy_docker_hub) split.registry = std::string(k_docker_hub);
    if (split.registry == k_docker_hub && split.repository.find('/') == std::string::npos) {
        split.repository = std::string(k_official_prefix) + split.repository;
    }
    return split;
}

// The first path component that breaks the grammar, or nullopt.
std::optional<std::string_view> bad_path_component(std::string_view path)
{
    std::size_t start = 0;
    while (true) {
        const auto slash = path.find('/', start);
        const auto part = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (!is_path_component(part)) return part;
        if (slash == std::string_view::npos) return std::nullopt;
        start = slash + 1;
    }
}

Result<Reference> parse_normalized(std::string_view text)
{
    if (text.empty()) return fail(ErrorCode::manifest, "reference is empty");
    if (text.size() == 64 && all_of(text, is_lower_hex)) {
        return fail(ErrorCode::manifest, "a 64-digit hexadecimal string is an image ID, not a repository name");
    }
    Reference ref;
    std::string_view name = text;
    if (const auto at = text.find('@'); at != std::string_view::npos) {
        const auto digest = text.substr(at + 1);
        if (auto valid = validate_digest(digest); !valid) return std::unexpected(valid.error());
        ref.digest = std::string(digest);
        name = text.substr(0, at);
    }
    const auto colon = name.rfind(':');
    const auto last_slash = name.rfind('/');
    if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
        const auto tag = name.substr(colon + 1);
        if (!is_tag(tag)) {
            return fail(ErrorCode::manifest, "invalid tag '" + std::string(tag) +
                                                 "' (letters, digits, '_', '.', '-'; at most 128; not starting "
                                                 "with '.' or '-')");
        }
        ref.tag = std::string(tag);
        name = name.substr(0, colon);
    }
    if (name.empty()) return fail(ErrorCode::manifest, "repository name is empty");

    auto split = split_registry(name);
    if (split.explicit_registry && !is_registry_host(split.registry)) {
        return fail(ErrorCode::manifest, "invalid registry host '" + split.registry + "'");
    }
    if (std::any_of(split.repository.begin(), split.repository.end(), is_upper)) {
        return fail(ErrorCode::manifest, "repository name must be lowercase");
    }
    if (const auto bad = bad_path_component(split.repository)) {
        return fail(ErrorCode::manifest, "invalid repository name component '" + std::string(*bad) +
                                             "' (lowercase letters and digits, separated by '.', '_', '__' "
                                             "or dashes)");
    }
    ref.registry = std::move(split.registry);
    ref.repository = std::move(split.repository);
    if (const auto length = ref.name().size(); length > k_max_name_length) {
        return fail(ErrorCode::manifest, "name is " + std::to_string(length) + " characters long, more than " +
                                             std::to_string(k_max_name_length));
    }
    if (!ref.tag && !ref.digest) ref.tag = std::string(k_default_tag);
    return ref;
}

}  // namespace

std::string Reference::name() const
{
    return registry + "/" + repository;
}

std::string Reference::to_string() const
{
    std::string out = name();
    if (tag) out += ":" + *tag;
    if (digest) out += "@" + *digest;
    return out;
}

std::string Reference::familiar() const
{
    std::string out = name();
    if (registry == k_docker_hub) {
        const std::string_view path = repository;
        const auto rest = path.substr(std::min(path.size(), k_official_prefix.size()));
        if (path.starts_with(k_official_prefix) && rest.find('/') == std::string_view::npos) {
            out = std::string(rest);
        } else if (!looks_like_registry(path.substr(0, path.find('/')))) {
            // Unlike docker, keep "docker.io/" when dropping it would make the first component
            // read as a registry ("docker.io/a.b/c"), so the familiar form parses back the same.
            out = repository;
        }
    }
    if (tag) out += ":" + *tag;
    if (digest) out += "@" + *digest;
    return out;
}

std::string Reference::api_host() const
{
    return registry == k_docker_hub ? std::string(k_docker_hub_api_host) : registry;
}

std::string Reference::tag_or_digest() const
{
    if (digest) return *digest;
    return tag ? *tag : std::string(k_default_tag);
}

Status validate_digest(std::string_view digest)
{
    const auto colon = digest.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return fail(ErrorCode::manifest, "invalid digest '" + std::string(digest) + "' (expected algorithm:hex)");
    }
    const auto algorithm = digest.substr(0, colon);
    const auto hex = digest.substr(colon + 1);
    const auto known = std::find_if(k_digest_algorithms.begin(), k_digest_algorithms.end(),
                                    [&](const DigestAlgorithm& a) { return a.name == algorithm; });
    if (known == k_digest_algorithms.end()) {
        return fail(ErrorCode::manifest,
                    "unsupported digest algorithm '" + std::string(algorithm) + "' (sha256, sha384 or sha512)");
    }
    if (hex.size() != known->hex_length || !all_of(hex, is_lower_hex)) {
        return fail(ErrorCode::manifest, "invalid " + std::string(algorithm) + " digest '" + std::string(digest) +
                                             "' (expected " + std::to_string(known->hex_length) +
                                             " lowercase hex digits)");
    }
    return {};
}

Result<Reference> parse_reference(std::string_view text)
{
    auto ref = parse_normalized(text);
    if (!ref) return std::unexpected(ref.error().context("invalid image reference '" + std::string(text) + "'"));
    return ref;
}

}  // namespace gapbundle::sources::oci
