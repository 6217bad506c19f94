#pragma once

// A failed Hub answer as a clear Error (read at huggingface_hub 1.29.0.dev0: utils/_http.py
// hf_raise_for_status): the X-Error-Code header decides, as there, before the status does.

#include <gapbundle/sources/hf/repo_id.hpp>
#include <gapbundle/util/error.hpp>

#include <string>
#include <string_view>

namespace gapbundle::sources::hf {

// What was asked for: the file is empty for API calls.
struct HubTarget {
    RepoId repo;
    std::string revision;
    std::string file;
};

// The parts of a non-2xx answer that matter; an absent header is an empty string.
struct HubAnswer {
    long status = 0;
    std::string error_code;     // X-Error-Code
    std::string error_message;  // X-Error-Message
    std::string retry_after;    // Retry-After
};

// ErrorCode::network, in huggingface_hub's order: RevisionNotFound, EntryNotFound, GatedRepo, a
// disabled repo (X-Error-Message "Access to this resource is disabled.", or X-Error-Code
// DisabledRepo), RepoNotFound (also any 401 but a refused token: the Hub answers 401 for
// missing and private repos alike), then 400, 403, 429 (with Retry-After) and any other status.
// Messages never contain a token: none of ours does, and `token` (the one sent, if any) is also
// masked as "***" in server text; X-Error-Message is shown cut to one short line.
Error hub_error(const HubTarget& target, const HubAnswer& answer, std::string_view token = {});

}  // namespace gapbundle::sources::hf
