#include <gapbundle/util/error.hpp>

#include <cstring>

namespace gapbundle {

Error Error::context(std::string_view what) const
{
    std::string text(what);
    text += ": ";
    text += message;
    return Error{code, std::move(text)};
}

int exit_status_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::verification: return 1;
    case ErrorCode::usage:
    case ErrorCode::manifest: return 2;
    case ErrorCode::network:
    case ErrorCode::download: return 3;
    case ErrorCode::io:
    case ErrorCode::internal: return 4;
    case ErrorCode::interrupted: return 130;
    }
    return 4;
}

std::string_view to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::manifest: return "manifest";
    case ErrorCode::network: return "network";
    case ErrorCode::download: return "download";
    case ErrorCode::verification: return "verification";
    case ErrorCode::io: return "io";
    case ErrorCode::interrupted: return "interrupted";
    case ErrorCode::internal: return "internal";
    }
    return "internal";
}

std::string errno_text(int err)
{
    char buffer[256];
    // GNU strerror_r returns the message pointer (which may not be buffer).
    return ::strerror_r(err, buffer, sizeof buffer);
}

}  // namespace gapbundle
