#include "tree_walk.hpp"

#include <gapbundle/util/text.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace gapbundle::bundle::detail {

namespace {

Result<UniqueFd> open_below(int root, std::string_view path, std::size_t components, std::string_view shown, int* err)
{
    UniqueFd current(::openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!current.valid()) {
        if (err) *err = errno;
        return fail(ErrorCode::io, std::string(shown) + ": cannot open: " + errno_text(errno));
    }
    if (components == 0) return current;
    const auto parts = text::split(path, '/');
    for (std::size_t i = 0; i < components && i < parts.size(); ++i) {
        const std::string part(parts[i]);
        UniqueFd next(::openat(current.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            if (err) *err = errno;
            std::string walked;
            for (std::size_t j = 0; j <= i; ++j) walked += (j ? "/" : "") + std::string(parts[j]);
            const char* why = errno == ELOOP || errno == ENOTDIR ? "not a folder (or a symlink)" : nullptr;
            return fail(ErrorCode::io, std::string(shown) + "/" + walked + ": " + (why ? why : errno_text(errno)));
        }
        current = std::move(next);
    }
    return current;
}

}  // namespace

Result<ParentDir> open_parent(int root, std::string_view path, std::string_view shown, int* err)
{
    const auto slash = path.rfind('/');
    const std::size_t components = slash == std::string_view::npos ? 0 : text::split(path.substr(0, slash), '/').size();
    auto fd = open_below(root, path, components, shown, err);
    if (!fd) return std::unexpected(fd.error());
    return ParentDir{std::move(*fd), std::string(slash == std::string_view::npos ? path : path.substr(slash + 1))};
}

Result<UniqueFd> open_dir(int root, std::string_view path, std::string_view shown, int* err)
{
    return open_below(root, path, path.empty() ? 0 : text::split(path, '/').size(), shown, err);
}

}  // namespace gapbundle::bundle::detail
