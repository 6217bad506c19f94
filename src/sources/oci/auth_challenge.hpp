#pragma once

// WWW-Authenticate challenges (RFC 7235), as registries send them:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"
//   Basic realm="Registry Realm"
// (private to the oci source kind; pure logic).

#include <gapbundle/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gapbundle::sources::oci::detail {

struct AuthChallenge {
    std::string scheme;                                       // lowercase: "bearer", "basic"
    std::vector<std::pair<std::string, std::string>> params;  // names lowercase, values unquoted
    std::string token68;                                      // the rare "Scheme abc==" form

    // The value of parameter `name` (lowercase), if present.
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

// Every challenge in one header value. Quoted strings may hold commas and backslash escapes.
// A malformed value is an ErrorCode::network error saying what is wrong.
Result<std::vector<AuthChallenge>> parse_auth_challenges(std::string_view header);

}  // namespace gapbundle::sources::oci::detail
