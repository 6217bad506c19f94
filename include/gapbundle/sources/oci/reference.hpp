#pragma once

#include <gapbundle/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gapbundle::sources::oci {

inline constexpr std::string_view k_docker_hub = "docker.io";
inline constexpr std::string_view k_docker_hub_api_host = "registry-1.docker.io";
inline constexpr std::size_t k_max_name_length = 255;  // registry + "/" + repository

// A fully qualified image reference, normalised as docker does it ("python:3.11-slim" is
// docker.io / library/python / tag 3.11-slim). Both a tag and a digest may be present
// ("name:tag@sha256:..."); a reference with neither gets the tag "latest".
struct Reference {
    std::string registry;    // "docker.io", "registry.local:5000", "[::1]:5000"
    std::string repository;  // "library/python"
    std::optional<std::string> tag;
    std::optional<std::string> digest;  // "sha256:<64 hex>"

    // "docker.io/library/python" (no tag, no digest).
    [[nodiscard]] std::string name() const;
    // "docker.io/library/python:3.11-slim", "...@sha256:...", or both.
    [[nodiscard]] std::string to_string() const;
    // Docker's short form: "python:3.11-slim", "fooo/bar@sha256:...", "quay.io/a/b:1".
    [[nodiscard]] std::string familiar() const;
    // The host to talk to: "registry-1.docker.io" for docker.io, else the registry.
    [[nodiscard]] std::string api_host() const;
    // What goes in /v2/<repository>/manifests/<X>: the digest when present, else the tag.
    [[nodiscard]] std::string tag_or_digest() const;

    friend bool operator==(const Reference&, const Reference&) = default;
};

// Parses and normalises an image reference. Errors (ErrorCode::manifest) name the input:
// "invalid image reference 'Foo/bar': repository name must be lowercase".
Result<Reference> parse_reference(std::string_view text);

// Checks "algorithm:hex": sha256 (64), sha384 (96) or sha512 (128) lowercase hex digits.
// The error message says what is wrong, without naming the input.
Status validate_digest(std::string_view digest);

}  // namespace gapbundle::sources::oci
