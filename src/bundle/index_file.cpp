// parse_index_file: an index.json on disk, parsed as it is read.

#include <gapbundle/bundle/index_file.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>

namespace gapbundle::bundle {

namespace {

Error file_error(const std::filesystem::path& path, std::string_view what, int error)
{
    return Error{ErrorCode::io, path.string() + ": " + std::string(what) + ": " + errno_text(error)};
}

}  // namespace

Result<StreamedIndex> parse_index_file(const std::filesystem::path& path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return std::unexpected(file_error(path, "cannot open", errno));
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) return std::unexpected(file_error(path, "stat", errno));
    if (S_ISDIR(st.st_mode)) return fail(ErrorCode::io, path.string() + ": is a folder, not a file");
    std::array<std::byte, 64 << 10> buffer;
    const IndexTextSource text = [&]() -> Result<std::string_view> {
        auto n = fs::read_some(fd.get(), buffer);
        if (!n) return std::unexpected(n.error().context(path.string()));
        return std::string_view(reinterpret_cast<const char*>(buffer.data()), *n);
    };
    return parse_index_stream(text, static_cast<std::uint64_t>(st.st_size), path.string());
}

}  // namespace gapbundle::bundle
