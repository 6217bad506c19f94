#pragma once

// How a Distribution API answer reads (private to the oci source kind): success, and the
// registry's own error from the body, for messages.

#include <string>

namespace gapbundle::sources::oci::detail {

// 2xx.
constexpr bool is_success(long status)
{
    return status >= 200 && status <= 299;
}

// " (CODE: message)" from the first entry of a Distribution error body
// ({"errors":[{"code":...,"message":...}]}), else "".
std::string registry_error_detail(const std::string& body);

}  // namespace gapbundle::sources::oci::detail
