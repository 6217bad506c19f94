#include "local.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/store/local_digests.hpp>
#include <gapbundle/util/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>

namespace gapbundle::sources::files {

namespace {

namespace stdfs = std::filesystem;

struct Entry {
    const manifest::Manifest& manifest;
    const manifest::FileSpec& spec;
    const std::string& origin;
    store::LocalDigests& digests;

    // "FILE:L:C: files[i]: message"
    [[nodiscard]] std::unexpected<Error> error(ErrorCode code, const std::string& message) const
    {
        return std::unexpected(Error{code, manifest.location(spec.mark) + ": " + origin + ": " + message});
    }
};

std::string file_url(const stdfs::path& path)
{
    constexpr std::string_view scheme = "file://";
    std::string url;
    url.reserve(scheme.size() + path.native().size());  // "file://" + path would leave room to spare
    return url.append(scheme).append(path.native());
}

// One stat() a file: its record's key, its mode, and its size come from it. The caller sets the URL.
Result<manifest::LockedArtifact> make_artifact(const Entry& entry, const stdfs::path& path, std::string bundle_path)
{
    struct stat now{};
    if (::stat(path.c_str(), &now) != 0) return entry.error(ErrorCode::io, path.string() + ": " + errno_text(errno));
    auto digest = entry.digests.digest(path, now);
    if (!digest) return std::unexpected(digest.error().context(entry.manifest.location(entry.spec.mark) + ": " + entry.origin));
    manifest::LockedArtifact artifact;
    artifact.kind = "files";
    artifact.bundle_path = std::move(bundle_path);
    artifact.size = digest->size;
    artifact.sha256 = digest->sha256;
    artifact.mode = (now.st_mode & S_IXUSR) != 0 ? 0755 : 0644;
    artifact.origin = entry.origin;
    return artifact;
}

bool is_inside(const stdfs::path& path, const stdfs::path& root)
{
    const auto relative = path.lexically_relative(root);
    return !relative.empty() && *relative.begin() != "..";
}

// Whether a file found in the folder may be carried; a symlink must stay inside the folder and
// point at a regular file. The listing's file type (readdir's d_type) answers for all but
// symlinks, without a stat().
Status check_member(const Entry& entry, const stdfs::directory_entry& item, const stdfs::path& root)
{
    std::error_code ec;
    const bool symlink = item.is_symlink(ec);
    if (ec) return entry.error(ErrorCode::io, item.path().string() + ": " + ec.message());
    if (symlink) {
        const auto target = stdfs::weakly_canonical(item.path(), ec);
        if (ec || !is_inside(target, root))
            return entry.error(ErrorCode::manifest, item.path().string() + ": symlink points outside the folder (to " +
                                                        stdfs::read_symlink(item.path(), ec).string() + ")");
        const auto target_status = stdfs::status(item.path(), ec);
        if (ec || !stdfs::exists(target_status))
            return entry.error(ErrorCode::manifest, item.path().string() + ": broken symlink");
        if (!stdfs::is_regular_file(target_status))
            return entry.error(ErrorCode::manifest, item.path().string() + ": symlink to a folder or special file");
        return {};
    }
    const bool regular = item.is_regular_file(ec);
    if (ec) return entry.error(ErrorCode::io, item.path().string() + ": " + ec.message());
    if (!regular) return entry.error(ErrorCode::manifest, item.path().string() + ": not a regular file, folder or symlink");
    return {};
}

Status resolve_folder(const Entry& entry, const stdfs::path& folder, std::vector<manifest::LockedArtifact>& out)
{
    if (entry.spec.sha256)
        return entry.error(ErrorCode::manifest, folder.string() + " is a folder; 'sha256' is for a single file");
    std::error_code ec;
    const auto root = stdfs::canonical(folder, ec);
    if (ec) return entry.error(ErrorCode::io, folder.string() + ": " + ec.message());

    std::vector<std::string> members;  // relative paths: a folder may hold 100,000 files
    stdfs::recursive_directory_iterator it(folder, ec);
    for (; !ec && it != stdfs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
        if (auto st = check_member(entry, *it, root); !st) return std::unexpected(st.error());
        members.push_back(it->path().lexically_relative(folder).generic_string());
    }
    if (ec) return entry.error(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
    std::ranges::sort(members);
    members.shrink_to_fit();  // growing left it up to twice its size, and the artifacts join it now

    // Grown geometrically all the same, so that many small folders do not copy the list each.
    if (const std::size_t needed = out.size() + members.size(); needed > out.capacity())
        out.reserve(std::max(needed, 2 * out.capacity()));
    const std::size_t first = out.size();
    for (auto& relative : members) {
        const stdfs::path path = folder / relative;
        const std::string bundle_path = "files/" + entry.spec.target + "/" + relative;
        std::string().swap(relative);
        if (auto st = fs::check_relative_path(bundle_path); !st)
            return entry.error(ErrorCode::manifest, path.string() + ": " + st.error().message);
        auto artifact = make_artifact(entry, path, bundle_path);
        if (!artifact) return std::unexpected(artifact.error());
        out.push_back(std::move(*artifact));
    }
    // The URLs last, side by side: pack drops them (the index keeps the paths and digests), and
    // strings freed in one run give whole pages back instead of leaving holes between the others.
    const std::size_t prefix = ("files/" + entry.spec.target + "/").size();
    for (auto artifact = out.begin() + static_cast<std::ptrdiff_t>(first); artifact != out.end(); ++artifact)
        artifact->url = file_url(folder / std::string_view(artifact->bundle_path).substr(prefix));
    return {};
}

Result<manifest::LockedArtifact> resolve_file(const Entry& entry, const stdfs::path& path)
{
    auto artifact = make_artifact(entry, path, "files/" + entry.spec.target);
    if (!artifact) return artifact;
    artifact->url = file_url(path);
    if (entry.spec.sha256 && *entry.spec.sha256 != artifact->sha256)
        return entry.error(ErrorCode::download, path.string() + ": sha256 is " + artifact->sha256 +
                                                    ", the manifest expects " + *entry.spec.sha256);
    return artifact;
}

Status resolve_entry(const Entry& entry, const stdfs::path& path, std::vector<manifest::LockedArtifact>& out)
{
    std::error_code ec;
    const auto status = stdfs::status(path, ec);
    if (!stdfs::exists(status)) {
        if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
            return entry.error(ErrorCode::io, path.string() + ": " + ec.message());
        return entry.error(ErrorCode::manifest, "no such file: " + path.string());
    }
    if (stdfs::is_directory(status)) return resolve_folder(entry, path, out);
    if (!stdfs::is_regular_file(status))
        return entry.error(ErrorCode::manifest, path.string() + ": not a regular file or folder");
    auto artifact = resolve_file(entry, path);
    if (!artifact) return std::unexpected(artifact.error());
    out.push_back(std::move(*artifact));
    return {};
}

}  // namespace

Status resolve_local(const manifest::Manifest& manifest, const manifest::FileSpec& spec, const std::string& origin,
                     const store::Store& store, std::vector<manifest::LockedArtifact>& out)
{
    const auto path = manifest.local_path(spec);
    auto digests = store::LocalDigests::open(store, stdfs::absolute(path));
    if (!digests) return std::unexpected(digests.error().context(origin));
    const Entry entry{manifest, spec, origin, *digests};
    if (auto st = resolve_entry(entry, path, out); !st) return st;
    if (auto st = digests->save(); !st) return std::unexpected(st.error().context(origin));
    return {};
}

}  // namespace gapbundle::sources::files
