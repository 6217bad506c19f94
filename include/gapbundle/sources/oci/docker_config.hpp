#pragma once

// Registry credentials the way `docker login` leaves them: $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json, its "auths" map (base64 "user:password" in "auth", or "username" and
// "password"). Credential helpers (credsStore, credHelpers) and identity tokens are not run or used.

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <optional>
#include <string_view>

namespace gapbundle::sources::oci {

// The config file docker would read (it may not exist).
std::filesystem::path docker_config_path();

// Basic credentials for `registry` ("docker.io", "registry.local:5000") from `config_file`, or
// none. Keys match as docker matches them: "https://host/v1/", "host" and, for docker.io, the
// index.docker.io spellings. A file that is not valid JSON, or an entry whose "auth" does not
// decode to user:password, is an ErrorCode::usage error naming the file (never the secret).
Result<std::optional<net::Credentials>> docker_config_credentials(std::string_view registry,
                                                                  const std::filesystem::path& config_file);

// The same, from docker_config_path().
Result<std::optional<net::Credentials>> docker_config_credentials(std::string_view registry);

}  // namespace gapbundle::sources::oci
