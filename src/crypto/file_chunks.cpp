#include "file_chunks.hpp"

#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/text.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace gapbundle::crypto::detail {

Status read_file_chunks(const std::filesystem::path& path, const std::function<void(std::uint64_t)>& on_size,
                        const std::function<void(std::span<const std::byte>)>& on_chunk)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::io, path.string() + ": cannot open: " + errno_text(errno));
    if (on_size) {
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::io, path.string() + ": stat: " + errno_text(errno));
        if (!S_ISREG(st.st_mode)) return fail(ErrorCode::io, path.string() + ": not a regular file");
        on_size(static_cast<std::uint64_t>(st.st_size));
    }
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<std::byte> buffer(1 << 20);
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ErrorCode::io, path.string() + ": read: " + errno_text(errno));
        }
        if (n == 0) break;
        on_chunk(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(n)));
    }
    return {};
}

}  // namespace gapbundle::crypto::detail
