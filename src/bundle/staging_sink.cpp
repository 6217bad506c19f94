#include "staging_sink.hpp"

#include "tree_walk.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gapbundle::bundle::detail {

Result<StagingSink> StagingSink::open(const std::filesystem::path& staging)
{
    UniqueFd root(::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root.valid()) return fail(ErrorCode::io, staging.string() + ": cannot open: " + errno_text(errno));
    // A second open, not a dup: the pacer's syncfs calls must not take the final one's error.
    // Should it fail, the pacer does nothing and the final syncfs does all the work.
    UniqueFd again(::openat(root.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return StagingSink(staging, std::move(root), std::make_unique<WritebackPacer>(std::move(again)));
}

StagingSink::StagingSink(std::filesystem::path staging, UniqueFd root, std::unique_ptr<WritebackPacer> pacer)
    : m_staging(std::move(staging)), m_root(std::move(root)), m_pacer(std::move(pacer))
{
}

std::unexpected<Error> StagingSink::io_fail(std::string_view path, std::string_view what, int err) const
{
    return fail(ErrorCode::io, (m_staging / std::string(path)).string() + ": " + std::string(what) + ": " + errno_text(err));
}

Result<int> StagingSink::folder_of(const std::string& path, std::string& leaf)
{
    const auto slash = path.rfind('/');
    const std::string_view folder = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
    leaf = slash == std::string::npos ? path : path.substr(slash + 1);
    if (!m_folder_fd.valid() || folder != m_folder) {
        // Walked from the root with O_NOFOLLOW; the fd then stays on the folder it opened.
        auto parent = open_parent(m_root.get(), path, m_staging.string());
        if (!parent) return std::unexpected(parent.error());
        m_folder_fd = std::move(parent->fd);
        m_folder = std::string(folder);
    }
    return m_folder_fd.get();
}

Status StagingSink::make_dir(const Entry& entry)
{
    std::string leaf;
    auto parent = folder_of(entry.path, leaf);
    if (!parent) return std::unexpected(parent.error());
    if (::mkdirat(*parent, leaf.c_str(), 0700) != 0) return io_fail(entry.path, "cannot create folder", errno);
    UniqueFd dir(::openat(*parent, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.valid()) return io_fail(entry.path, "cannot open folder", errno);
    if (::fchmod(dir.get(), static_cast<mode_t>(entry.mode)) != 0) return io_fail(entry.path, "chmod", errno);
    crash::point("unpack-entry");
    return {};
}

Status StagingSink::make_symlink(const Entry& entry)
{
    if (auto st = check_symlink_target(entry.path, entry.link_target); !st) return std::unexpected(st.error());
    std::string leaf;
    auto parent = folder_of(entry.path, leaf);
    if (!parent) return std::unexpected(parent.error());
    if (::symlinkat(entry.link_target.c_str(), *parent, leaf.c_str()) != 0)
        return io_fail(entry.path, "cannot create symlink", errno);
    crash::point("unpack-entry");
    return {};
}

Status StagingSink::begin_file(const Entry& entry)
{
    if (entry.mode != 0644 && entry.mode != 0755) return fail(ErrorCode::internal, entry.path + ": unexpected mode");
    std::string leaf;
    auto parent = folder_of(entry.path, leaf);
    if (!parent) return std::unexpected(parent.error());
    m_file.reset(::openat(*parent, leaf.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!m_file.valid()) return io_fail(entry.path, "cannot create", errno);
    m_file_path = entry.path;
    return {};
}

Status StagingSink::write(std::span<const std::byte> chunk)
{
    // Named by the file being written: a full disk (ENOSPC) or a file size limit (EFBIG) stops here.
    if (auto st = fs::write_all(m_file.get(), chunk); !st)
        return std::unexpected(st.error().context((m_staging / m_file_path).string()));
    m_pacer->wrote(chunk.size());
    return {};
}

Status StagingSink::end_file(const Entry& entry)
{
    if (::fchmod(m_file.get(), static_cast<mode_t>(entry.mode)) != 0) return io_fail(entry.path, "chmod", errno);
    // Durable in finish(), with one syncfs for the whole tree: a fsync per file made unpacking
    // thousands of small files wait for the disk thousands of times.
    if (::close(m_file.release()) != 0) return io_fail(entry.path, "close", errno);
    crash::point("unpack-entry");
    return {};
}

Status StagingSink::accept_head(std::string signatures_bytes)
{
    m_signatures_bytes = std::move(signatures_bytes);
    return {};
}

void StagingSink::abort()
{
    m_file.reset();
    m_pacer->stop();
}

Status StagingSink::write_head_file(std::string_view path, std::string_view content)
{
    Entry entry;
    entry.path = path;
    if (auto st = begin_file(entry); !st) return st;
    if (auto st = write(std::as_bytes(std::span(content.data(), content.size()))); !st) return st;
    return end_file(entry);
}

Status StagingSink::write_index_file(const Index& index, std::string_view index_sha256)
{
    Entry entry;
    entry.path = k_index_path;
    if (auto st = begin_file(entry); !st) return st;
    CanonicalIndexReader text(index);
    crypto::Sha256 hash;
    std::vector<std::byte> buffer(64 << 10);
    for (std::size_t n; (n = text.read(buffer)) > 0;) {
        const auto piece = std::span(buffer).first(n);
        hash.update(piece);
        if (auto st = write(piece); !st) return st;
    }
    if (hash.finish_hex() != index_sha256)
        return fail(ErrorCode::internal, (m_staging / k_index_path).string() + ": written again from the verified index, "
                                                                          "it differs from the signed bytes");
    return end_file(entry);
}

Status StagingSink::finish(const Index& index, std::string_view index_sha256)
{
    if (::mkdirat(m_root.get(), "gapbundle", 0755) != 0 && errno != EEXIST) return io_fail("gapbundle", "mkdir", errno);
    if (auto st = write_index_file(index, index_sha256); !st) return st;
    if (auto st = write_head_file(k_signatures_path, m_signatures_bytes); !st) return st;
    // Every file and folder of the staging tree reaches the disk before the tree is moved into
    // place: one flush of the filesystem holding it, one wait, shortened by the pacer's flushes
    // while the tree was written.
    m_pacer->stop();
    if (::syncfs(m_root.get()) != 0) return io_fail("", "syncfs", errno);
    return {};
}

}  // namespace gapbundle::bundle::detail
