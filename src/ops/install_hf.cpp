#include <gapbundle/ops/install_hf.hpp>

#include <gapbundle/util/fs.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace gapbundle::ops {

namespace {

namespace stdfs = std::filesystem;

constexpr std::uint64_t k_max_ref_bytes = 4096;

std::optional<stdfs::path> env_path(const char* name)
{
    const char* value = std::getenv(name);
    if (!value || !*value) return std::nullopt;
    return stdfs::path(value);
}

Status io_error(const stdfs::path& path, const std::error_code& ec, std::string_view what)
{
    return fail(ErrorCode::io, path.string() + ": " + std::string(what) + ": " + ec.message());
}

// Streams `from` into `to` through a temporary file beside it.
Status copy_atomically(const stdfs::path& from, const stdfs::path& to)
{
    if (auto st = fs::create_directories(to.parent_path()); !st) return st;
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return fail(ErrorCode::io, from.string() + ": cannot open: " + std::strerror(errno));
    auto out = fs::AtomicFile::create(to, 0644, fs::AtomicFile::Overwrite::refuse);
    if (!out) return std::unexpected(out.error());
    std::array<std::byte, 1 << 16> buffer{};
    while (true) {
        auto got = fs::read_some(in.get(), buffer);
        if (!got) return std::unexpected(got.error().context(from.string()));
        if (*got == 0) break;
        if (auto st = out->write(std::span(buffer.data(), *got)); !st) return st;
    }
    return out->commit();
}

// A symlink made beside its place and renamed over it, so a reader never sees half of it.
Status make_link(const stdfs::path& link, const stdfs::path& target)
{
    if (auto st = fs::create_directories(link.parent_path()); !st) return st;
    const auto temp = link.parent_path() / ("." + link.filename().string() + ".gapbundle-tmp");
    std::error_code ec;
    stdfs::remove(temp, ec);
    stdfs::create_symlink(target, temp, ec);
    if (ec) return io_error(link, ec, "cannot make the link");
    stdfs::rename(temp, link, ec);
    if (ec) {
        stdfs::remove(temp, ec);
        return io_error(link, ec, "cannot make the link");
    }
    return {};
}

class CacheMerge {
public:
    CacheMerge(stdfs::path cache, InstallHfResult& result) : m_cache(std::move(cache)), m_result(result)
    {
    }

    Status repo(const stdfs::path& folder)
    {
        ++m_result.repos;
        const auto name = folder.filename();
        if (auto st = blobs(folder / "blobs", m_cache / name / "blobs"); !st) return st;
        if (auto st = tree(folder / "snapshots", m_cache / name / "snapshots"); !st) return st;
        if (auto st = tree(folder / "trees", m_cache / name / "trees"); !st) return st;
        return refs(folder / "refs", m_cache / name / "refs");
    }

private:
    Status blobs(const stdfs::path& from, const stdfs::path& to)
    {
        std::error_code ec;
        if (!stdfs::is_directory(from, ec)) return {};
        for (const auto& entry : stdfs::directory_iterator(from, ec)) {
            const auto target = to / entry.path().filename();
            std::error_code probe;
            if (stdfs::exists(stdfs::symlink_status(target, probe))) {
                // A blob is named by its content's hash (sha256 or git blob id): a file of the
                // same name and size is the same blob.
                if (!stdfs::is_regular_file(target, probe) || stdfs::file_size(target, probe) != entry.file_size(probe))
                    return fail(ErrorCode::io, target.string() + ": the cache holds a different blob of this name; "
                                                                 "left as it is");
                ++m_result.blobs_present;
                continue;
            }
            if (auto st = copy_atomically(entry.path(), target); !st) return st;
            ++m_result.blobs_copied;
        }
        if (ec) return io_error(from, ec, "cannot list");
        return {};
    }

    // Links (and any plain files) below `from`, recreated below `to`.
    Status tree(const stdfs::path& from, const stdfs::path& to)
    {
        std::error_code ec;
        if (!stdfs::is_directory(from, ec)) return {};
        for (auto it = stdfs::recursive_directory_iterator(from, ec); !ec && it != stdfs::recursive_directory_iterator();
             it.increment(ec)) {
            const auto relative = it->path().lexically_relative(from);
            const auto target = to / relative;
            std::error_code probe;
            const auto status = it->symlink_status(probe);
            if (stdfs::is_directory(status)) continue;
            const bool there = stdfs::exists(stdfs::symlink_status(target, probe));
            if (stdfs::is_symlink(status)) {
                const auto link_target = stdfs::read_symlink(it->path(), probe);
                if (probe) return io_error(it->path(), probe, "cannot read the link");
                if (there) {
                    if (!stdfs::is_symlink(target, probe) || stdfs::read_symlink(target, probe) != link_target)
                        return fail(ErrorCode::io, target.string() + ": the cache holds something else here; left as it is");
                    ++m_result.links_present;
                    continue;
                }
                if (auto st = make_link(target, link_target); !st) return st;
                ++m_result.links_made;
            } else if (!there) {
                if (auto st = copy_atomically(it->path(), target); !st) return st;
            }
        }
        if (ec) return io_error(from, ec, "cannot list");
        return {};
    }

    Status refs(const stdfs::path& from, const stdfs::path& to)
    {
        std::error_code ec;
        if (!stdfs::is_directory(from, ec)) return {};
        for (auto it = stdfs::recursive_directory_iterator(from, ec); !ec && it != stdfs::recursive_directory_iterator();
             it.increment(ec)) {
            std::error_code probe;
            if (!it->is_regular_file(probe)) continue;
            const auto target = to / it->path().lexically_relative(from);
            auto commit = fs::read_small_file(it->path(), k_max_ref_bytes);
            if (!commit) return std::unexpected(commit.error());
            if (stdfs::exists(target, probe)) {
                auto current = fs::read_small_file(target, k_max_ref_bytes);
                if (current && *current == *commit) {
                    ++m_result.refs_present;
                    continue;
                }
            }
            // A ref moves to the newest commit fetched, as a download with huggingface_hub moves it;
            // the older snapshot stays.
            if (auto st = fs::create_directories(target.parent_path()); !st) return st;
            if (auto st = fs::write_file_atomic(target, *commit); !st) return st;
            ++m_result.refs_written;
        }
        if (ec) return io_error(from, ec, "cannot list");
        return {};
    }

    stdfs::path m_cache;
    InstallHfResult& m_result;
};

}  // namespace

stdfs::path default_hub_cache()
{
    if (auto cache = env_path("HF_HUB_CACHE")) return *cache;
    if (auto home = env_path("HF_HOME")) return *home / "hub";
    if (auto xdg = env_path("XDG_CACHE_HOME")) return *xdg / "huggingface" / "hub";
    return env_path("HOME").value_or("/root") / ".cache" / "huggingface" / "hub";
}

Result<InstallHfResult> install_hf(const InstallHfOptions& options)
{
    const auto source = options.dir / "hf" / "hub";
    std::error_code ec;
    if (!stdfs::is_directory(source, ec))
        return fail(ErrorCode::usage, options.dir.string() + " has no hf/hub: not an unpacked bundle with Hugging Face repos");
    InstallHfResult result;
    result.cache = options.cache.value_or(default_hub_cache());
    if (auto st = fs::create_directories(result.cache); !st) return std::unexpected(st.error());
    CacheMerge merge(result.cache, result);
    std::vector<stdfs::path> repos;
    for (const auto& entry : stdfs::directory_iterator(source, ec))
        if (entry.is_directory()) repos.push_back(entry.path());
    if (ec) return std::unexpected(io_error(source, ec, "cannot list").error());
    std::ranges::sort(repos);
    for (const auto& repo : repos)
        if (auto st = merge.repo(repo); !st) return std::unexpected(st.error());
    return result;
}

}  // namespace gapbundle::ops
