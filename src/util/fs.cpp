#include <gapbundle/util/fs.hpp>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::fs {

namespace {

std::unexpected<Error> io_fail(const stdfs::path& path, std::string_view what, int err)
{
    return fail(ErrorCode::io, path.string() + ": " + std::string(what) + ": " + errno_text(err));
}

}  // namespace

Result<TempDir> TempDir::create(const stdfs::path& parent, std::string_view prefix)
{
    std::string templ = (parent / (std::string(prefix) + "XXXXXX")).string();
    if (!::mkdtemp(templ.data())) return io_fail(parent, "cannot create a temporary folder", errno);
    TempDir dir;
    dir.m_path = templ;
    return dir;
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::exchange(other.m_path, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept
{
    if (this != &other) {
        TempDir old(std::move(*this));
        m_path = std::exchange(other.m_path, {});
    }
    return *this;
}

TempDir::~TempDir()
{
    if (m_path.empty()) return;
    std::error_code ec;
    stdfs::remove_all(m_path, ec);
}

Status fsync_path(const stdfs::path& path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return io_fail(path, "open for fsync", errno);
    if (::fsync(fd.get()) != 0 && errno != EINVAL) return io_fail(path, "fsync", errno);
    return {};
}

Status write_file_atomic(const stdfs::path& path, std::string_view content, unsigned mode, AtomicFile::Sync sync)
{
    auto file = AtomicFile::create(path, mode);
    if (!file) return std::unexpected(file.error());
    if (auto st = file->write(content); !st) return st;
    return file->commit(sync);
}

Result<FileToRead> open_to_read(const stdfs::path& path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return io_fail(path, "cannot open", errno);
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) return io_fail(path, "stat", errno);
    if (S_ISDIR(st.st_mode)) return fail(ErrorCode::io, path.string() + ": is a folder, not a file");
    return FileToRead{std::move(fd), static_cast<std::uint64_t>(st.st_size)};
}

Status read_in_pieces(const stdfs::path& path, std::uint64_t max_bytes, const std::function<void(std::string_view)>& piece)
{
    auto file = open_to_read(path);
    if (!file) return std::unexpected(file.error());
    std::uint64_t total = 0;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(file->fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_fail(path, "read", errno);
        }
        if (n == 0) break;
        total += static_cast<std::uint64_t>(n);
        if (total > max_bytes)
            return fail(ErrorCode::io, path.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
        piece(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    return {};
}

Result<std::string> read_small_file(const stdfs::path& path, std::uint64_t max_bytes)
{
    std::string content;
    if (auto st = read_in_pieces(path, max_bytes, [&](std::string_view piece) { content += piece; }); !st)
        return std::unexpected(st.error());
    return content;
}

Status create_directories(const stdfs::path& path)
{
    std::error_code ec;
    stdfs::create_directories(path, ec);
    if (ec) return fail(ErrorCode::io, path.string() + ": cannot create folder: " + ec.message());
    return {};
}

Result<std::size_t> read_some(int fd, std::span<std::byte> data)
{
    std::size_t total = 0;
    while (total < data.size()) {
        const ssize_t n = ::read(fd, data.data() + total, data.size() - total);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ErrorCode::io, "read: " + errno_text(errno));
        }
        if (n == 0) break;
        total += static_cast<std::size_t>(n);
    }
    return total;
}

Status write_all(int fd, std::span<const std::byte> data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ErrorCode::io, "write: " + errno_text(errno));
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

Status check_relative_path(std::string_view path)
{
    const auto bad = [&](std::string_view why) {
        return fail(ErrorCode::verification, "unsafe path '" + std::string(path) + "': " + std::string(why));
    };
    if (path.empty()) return bad("empty");
    if (path.size() > 4096) return bad("longer than 4096 bytes");
    if (path.front() == '/') return bad("absolute");
    std::size_t depth = 0;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const auto part = path.substr(start, end - start);
        if (part.empty()) return bad("empty component");
        if (part == "." || part == "..") return bad("'.' or '..' component");
        if (part.size() > 255) return bad("component longer than 255 bytes");
        if (++depth > 64) return bad("deeper than 64 levels");
        start = end + 1;
    }
    for (unsigned char c : path) {
        if (c == 0) return bad("NUL byte");
        if (c == '\\') return bad("backslash");
        if (c == ':') return bad("colon");
        if (c < 0x20 || c == 0x7f) return bad("control character");
    }
    // UTF-8 well-formedness (no overlongs or surrogates checked beyond lead/continuation shape).
    for (std::size_t i = 0; i < path.size();) {
        const auto c = static_cast<unsigned char>(path[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || i + len > path.size()) return bad("not UTF-8");
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(path[i + k]) >> 6) != 0x2) return bad("not UTF-8");
        i += len;
    }
    return {};
}

}  // namespace gapbundle::fs
