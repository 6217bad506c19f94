#include "merge.hpp"

#include "tree_walk.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <set>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace gapbundle::bundle::detail {

namespace {

enum class Action { move_new, replace, unchanged, covered };

struct Step {
    const Entry* entry;
    Action action;
};

struct Tree {
    const std::filesystem::path& path;
    UniqueFd fd;
};

std::unexpected<Error> conflict(const Tree& dest, const Entry& entry, std::string_view why)
{
    return fail(ErrorCode::io, (dest.path / entry.path).string() + ": " + std::string(why) +
                                      "; nothing was changed (unpack into an empty folder instead)");
}

Result<bool> same_file(int parent, const std::string& leaf, const Entry& entry, const std::filesystem::path& shown)
{
    UniqueFd fd(::openat(parent, leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::io, shown.string() + ": cannot open: " + errno_text(errno));
    crypto::Sha256 hash;
    std::vector<std::byte> buffer(1 << 20);
    std::uint64_t total = 0;
    for (;;) {
        auto n = fs::read_some(fd.get(), buffer);
        if (!n) return std::unexpected(n.error().context(shown.string()));
        if (*n == 0) break;
        total += *n;
        if (total > entry.size) return false;
        hash.update(std::span(buffer).first(*n));
    }
    return total == entry.size && hash.finish_hex() == entry.sha256;
}

Result<Action> compare(const Tree& dest, int parent, const std::string& leaf, const Entry& entry, bool metadata)
{
    struct stat st{};
    if (::fstatat(parent, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return Action::move_new;
        return fail(ErrorCode::io, (dest.path / entry.path).string() + ": stat: " + errno_text(errno));
    }
    switch (entry.type) {
    case EntryType::dir:
        if (!S_ISDIR(st.st_mode)) return conflict(dest, entry, "exists and is not a folder");
        return Action::unchanged;
    case EntryType::symlink: {
        if (!S_ISLNK(st.st_mode)) return conflict(dest, entry, "exists and is not a symlink");
        std::string target(4096, '\0');
        const auto n = ::readlinkat(parent, leaf.c_str(), target.data(), target.size());
        if (n < 0 || std::string_view(target.data(), static_cast<std::size_t>(n)) != entry.link_target)
            return conflict(dest, entry, "exists with a different symlink target");
        return Action::unchanged;
    }
    case EntryType::file:
        if (!S_ISREG(st.st_mode)) return conflict(dest, entry, "exists and is not a regular file");
        if (metadata) return Action::replace;
        auto same = same_file(parent, leaf, entry, dest.path / entry.path);
        if (!same) return std::unexpected(same.error());
        if (!*same) return conflict(dest, entry, "exists with different content");
        return Action::unchanged;
    }
    return Action::unchanged;
}

bool under_new_dir(const std::set<std::string>& new_dirs, const std::string& path)
{
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
        if (new_dirs.contains(path.substr(0, slash))) return true;
    return false;
}

Result<std::vector<Step>> plan(const std::vector<Entry>& entries, const Tree& dest)
{
    std::vector<Step> steps;
    std::set<std::string> new_dirs;
    for (const auto& entry : entries) {
        if (under_new_dir(new_dirs, entry.path)) {
            steps.push_back({&entry, Action::covered});
            continue;
        }
        auto parent = open_parent(dest.fd.get(), entry.path, dest.path.string());
        if (!parent) return conflict(dest, entry, "a folder on its way is missing, not a folder or a symlink");
        const bool metadata = entry.path.starts_with("gapbundle/");
        auto action = compare(dest, parent->fd.get(), parent->leaf, entry, metadata);
        if (!action) return std::unexpected(action.error());
        if (*action == Action::move_new && entry.type == EntryType::dir) new_dirs.insert(entry.path);
        steps.push_back({&entry, *action});
    }
    return steps;
}

Status move_step(const Step& step, const Tree& staging, const Tree& dest, std::set<std::string>& touched)
{
    const auto& path = step.entry->path;
    auto from = open_parent(staging.fd.get(), path, staging.path.string());
    if (!from) return std::unexpected(from.error());
    auto to = open_parent(dest.fd.get(), path, dest.path.string());
    if (!to) return std::unexpected(to.error());
    const unsigned flags = step.action == Action::move_new ? RENAME_NOREPLACE : 0u;
    if (::renameat2(from->fd.get(), from->leaf.c_str(), to->fd.get(), to->leaf.c_str(), flags) != 0)
        return fail(ErrorCode::io, (dest.path / path).string() + ": cannot move into place: " + errno_text(errno));
    const auto slash = path.rfind('/');
    touched.insert(slash == std::string::npos ? std::string() : path.substr(0, slash));
    return {};
}

// The index entries plus the gapbundle/ head files, folders first.
std::vector<Entry> merge_entries(const Index& index)
{
    std::vector<Entry> entries = index.entries;
    for (auto path : {k_index_path, k_signatures_path}) {
        Entry head;
        head.path = path;
        entries.push_back(std::move(head));
    }
    add_parent_dirs(entries);
    return entries;
}

}  // namespace

Result<MergeResult> merge_into(const Index& index, const std::filesystem::path& staging,
                               const std::filesystem::path& destination)
{
    Tree dest{destination, UniqueFd(::open(destination.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))};
    Tree stage{staging, UniqueFd(::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))};
    if (!dest.fd.valid() || !stage.fd.valid())
        return fail(ErrorCode::io, destination.string() + ": cannot open for merging: " + errno_text(errno));
    const auto entries = merge_entries(index);
    auto steps = plan(entries, dest);
    if (!steps) return std::unexpected(steps.error());
    MergeResult result;
    std::set<std::string> touched;
    for (const auto& step : *steps) {
        const bool payload_file = step.entry->type == EntryType::file && step.entry->path != k_index_path &&
                                  step.entry->path != k_signatures_path;
        if (step.action == Action::unchanged) result.files_unchanged += payload_file ? 1 : 0;
        else result.files_moved += payload_file ? 1 : 0;
        if (step.action == Action::move_new || step.action == Action::replace) {
            if (auto st = move_step(step, stage, dest, touched); !st) return std::unexpected(st.error());
        }
    }
    for (const auto& folder : touched) {
        auto fd = open_dir(dest.fd.get(), folder, destination.string());
        if (!fd) return std::unexpected(fd.error());
        if (::fsync(fd->get()) != 0) return fail(ErrorCode::io, (destination / folder).string() + ": fsync: " + errno_text(errno));
    }
    return result;
}

}  // namespace gapbundle::bundle::detail
