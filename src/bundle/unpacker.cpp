// unpack_bundle: verify while extracting into a private staging folder, then move it into place.

#include <gapbundle/bundle/unpacker.hpp>
#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>

#include "base_fill.hpp"
#include "merge.hpp"
#include "staging_sink.hpp"

#include <cerrno>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <system_error>

namespace gapbundle::bundle {

namespace {

namespace stdfs = std::filesystem;

enum class DestinationState { missing, empty, filled };

Result<stdfs::path> resolve_destination(const stdfs::path& destination)
{
    std::error_code ec;
    auto absolute = stdfs::absolute(destination, ec);
    if (ec) return fail(ErrorCode::io, destination.string() + ": cannot resolve: " + ec.message());
    if (absolute.filename().empty()) absolute = absolute.parent_path();
    // A symlink there, planted or not, would send the tree wherever it points.
    if (stdfs::is_symlink(stdfs::symlink_status(absolute, ec)))
        return fail(ErrorCode::usage, destination.string() + ": is a symlink; name the folder itself");
    auto resolved = stdfs::weakly_canonical(absolute, ec);
    if (ec) return fail(ErrorCode::io, destination.string() + ": cannot resolve: " + ec.message());
    if (resolved.filename().empty()) resolved = resolved.parent_path();
    if (resolved == resolved.root_path()) return fail(ErrorCode::usage, destination.string() + ": cannot unpack onto /");
    return resolved;
}

Result<DestinationState> destination_state(const stdfs::path& destination)
{
    std::error_code ec;
    const auto status = stdfs::symlink_status(destination, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
        return fail(ErrorCode::io, destination.string() + ": " + ec.message());
    if (!stdfs::exists(status)) return DestinationState::missing;
    if (!stdfs::is_directory(status))
        return fail(ErrorCode::usage, destination.string() + ": exists and is not a folder");
    const bool empty = stdfs::is_empty(destination, ec);
    if (ec) return fail(ErrorCode::io, destination.string() + ": " + ec.message());
    return empty ? DestinationState::empty : DestinationState::filled;
}

// Renames the whole staging folder onto a missing or empty destination.
Status move_into_place(fs::TempDir& staging, const stdfs::path& destination)
{
    if (::chmod(staging.path().c_str(), 0755) != 0)
        return fail(ErrorCode::io, staging.path().string() + ": chmod: " + errno_text(errno));
    if (::rename(staging.path().c_str(), destination.c_str()) != 0)
        return fail(ErrorCode::io, destination.string() + ": cannot move the unpacked tree into place: " + errno_text(errno));
    staging.release();
    crash::point("unpack-moved");
    return fs::fsync_path(destination.parent_path());
}

constexpr std::string_view k_staging_mark = ".gapbundle-staging.";

// Unpacks into one folder take turns: each holds a lock on the folder the staging folder goes
// into, so that a staging folder found there while holding it was left by an unpack that was
// killed, and is removed ("swept").
Result<UniqueFd> lock_parent_and_sweep(const stdfs::path& parent)
{
    UniqueFd fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::io, parent.string() + ": cannot open: " + errno_text(errno));
    if (::flock(fd.get(), LOCK_EX) != 0) return fail(ErrorCode::io, parent.string() + ": cannot lock: " + errno_text(errno));
    std::error_code ec;
    for (stdfs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(".") || name.find(k_staging_mark) == std::string::npos) continue;
        std::error_code removed;
        stdfs::remove_all(it->path(), removed);
        if (removed) return fail(ErrorCode::io, it->path().string() + ": a stale staging folder, cannot remove: " + removed.message());
    }
    if (ec) return fail(ErrorCode::io, parent.string() + ": cannot list: " + ec.message());
    return fd;
}

}  // namespace

Result<UnpackReport> unpack_bundle(const std::filesystem::path& bundle, const std::filesystem::path& destination,
                                   const UnpackOptions& options)
{
    auto dest = resolve_destination(destination);
    if (!dest) return std::unexpected(dest.error());
    auto state = destination_state(*dest);
    if (!state) return std::unexpected(state.error());
    if (*state == DestinationState::filled && options.existing == ExistingDestination::refuse)
        return fail(ErrorCode::usage, destination.string() + ": exists and is not empty (use --merge to add to it)");
    if (auto st = fs::create_directories(dest->parent_path()); !st) return std::unexpected(st.error());
    auto parent_lock = lock_parent_and_sweep(dest->parent_path());
    if (!parent_lock) return std::unexpected(parent_lock.error());

    auto staging = fs::TempDir::create(dest->parent_path(), "." + dest->filename().string() + std::string(k_staging_mark));
    if (!staging) return std::unexpected(staging.error());
    auto sink = detail::StagingSink::open(staging->path());
    if (!sink) return std::unexpected(sink.error());
    auto verified = verify_bundle(bundle, options.verify, &*sink);
    if (!verified) return std::unexpected(verified.error());

    UnpackReport report;
    report.verify = std::move(*verified);
    if (!report.verify.ok()) return report;  // the TempDir removes the staging folder
    if (const auto& base = report.verify.index->base) {
        if (options.base_tree.empty())
            return fail(ErrorCode::usage, bundle.string() + " is a delta on serial " + std::to_string(base->serial) +
                                              " of channel '" + base->channel +
                                              "': unpack it with --store DIR, where that release is");
        if (auto st = detail::fill_from_base(*report.verify.index, options.base_tree, *sink, report.verify); !st) {
            sink->abort();
            return std::unexpected(st.error());
        }
        if (!report.verify.ok()) {
            sink->abort();
            return report;
        }
    }
    if (auto st = sink->finish(*report.verify.index, report.verify.index_sha256); !st) return std::unexpected(st.error());
    crash::point("unpack-staged");

    if (*state == DestinationState::filled) {
        auto merged = detail::merge_into(*report.verify.index, staging->path(), *dest);
        if (!merged) return std::unexpected(merged.error());
        report.files_written = merged->files_moved;
        report.files_unchanged = merged->files_unchanged;
        return report;
    }
    if (options.before_move) {
        if (auto st = options.before_move(report.verify, *dest); !st) return std::unexpected(st.error());
    }
    if (auto st = move_into_place(*staging, *dest); !st) return std::unexpected(st.error());
    report.files_written = report.verify.files + report.verify.files_from_base;
    return report;
}

}  // namespace gapbundle::bundle
