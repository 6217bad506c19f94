#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace gapbundle {

// What went wrong, coarse enough to pick an exit status (see exit_status_for).
enum class ErrorCode {
    usage,         // bad command-line use
    manifest,      // manifest or lock file invalid
    network,       // connection, HTTP status, timeout
    download,      // downloaded bytes differ from what was expected
    verification,  // a bundle failed a check (hash, size, signature, unsafe entry, expiry)
    io,            // local file system
    interrupted,   // SIGINT / SIGTERM
    internal,      // a bug
};

struct Error {
    ErrorCode code;
    std::string message;

    // "context: message", keeping the code.
    [[nodiscard]] Error context(std::string_view what) const;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected(Error{code, std::move(message)});
}

// 0 ok, 1 verification failed, 2 usage or manifest, 3 resolve or download, 4 local I/O, 130 interrupted.
int exit_status_for(ErrorCode code);
std::string_view to_string(ErrorCode code);

// errno as text, "No such file or directory".
std::string errno_text(int err);

}  // namespace gapbundle
