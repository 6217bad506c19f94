#include "base_fill.hpp"

#include "tree_walk.hpp"

#include <gapbundle/bundle/index_file.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>

#include <cerrno>
#include <fcntl.h>
#include <vector>

namespace gapbundle::bundle::detail {

namespace {

constexpr std::size_t k_copy_bytes = 256 << 10;

// The base release's index, if it is the one the delta names. Parsed as it is read: the delta's own
// index is held already, and the base's text beside both would be 14 MB at 66,000 files.
Result<std::optional<Index>> base_index(const BaseRef& base, const std::filesystem::path& base_tree, VerifyReport& report)
{
    const auto index_file = base_tree / k_index_path;
    const auto not_the_base = [&](const std::string& sha) {
        report.problems.push_back(Problem{base_tree.string(), "base",
                                          base_tree.string() + " is not the release this delta builds on (its index sha256 is " +
                                              sha + "; the delta names serial " + std::to_string(base.serial) +
                                              " with index sha256 " + base.index_sha256 + ")"});
        return std::optional<Index>();
    };
    auto parsed = parse_index_file(index_file);
    if (parsed) {
        if (parsed->sha256 != base.index_sha256) return not_the_base(parsed->sha256);
        return std::optional(std::move(parsed->index));
    }
    if (parsed.error().code == ErrorCode::io) return std::unexpected(parsed.error().context("the base release"));
    // Not an index: another release's bytes say more than why they do not parse.
    auto digest = crypto::sha256_file(index_file);
    if (!digest) return std::unexpected(digest.error().context("the base release"));
    if (digest->sha256 != base.index_sha256) return not_the_base(digest->sha256);
    report.problems.push_back(Problem{index_file.string(), "base", parsed.error().message});
    return std::optional<Index>();
}

}  // namespace

Status fill_from_base(const Index& index, const std::filesystem::path& base_tree, EntrySink& sink, VerifyReport& report)
{
    const std::string shown = base_tree.string();
    auto base = base_index(*index.base, base_tree, report);
    if (!base) return std::unexpected(base.error());
    if (!*base) return {};
    UniqueFd root(::open(base_tree.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root.valid()) return fail(ErrorCode::io, shown + ": cannot open: " + errno_text(errno));
    std::vector<std::byte> buffer(k_copy_bytes);
    for (const auto& entry : index.entries) {
        if (!entry.from_base()) continue;
        const std::string base_path(entry.path_in_base());
        const std::string source = shown + "/" + base_path;
        const Entry* there = find_entry((*base)->entries, base_path);
        if (!there || there->type != EntryType::file || there->sha256 != entry.sha256 || there->size != entry.size) {
            report.problems.push_back(Problem{entry.path, "base",
                                              entry.path + ": the base release lists no file " + base_path +
                                                  " of sha256 " + entry.sha256 + " (" + std::to_string(entry.size) +
                                                  " bytes)"});
            return {};
        }
        int err = 0;
        auto parent = open_parent(root.get(), base_path, shown, &err);
        UniqueFd fd(parent ? ::openat(parent->fd.get(), parent->leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1);
        if (parent && !fd.valid()) err = errno;
        if (!fd.valid()) {
            if (err == ENOENT || err == ELOOP || err == ENOTDIR) {
                report.problems.push_back(Problem{entry.path, "base", entry.path + ": " + source +
                                                                          " is missing from the base release (or is not a plain file)"});
                return {};
            }
            return fail(ErrorCode::io, source + ": cannot open: " + errno_text(err));
        }
        if (auto st = sink.begin_file(entry); !st) return st;
        crypto::Sha256 hash;
        std::uint64_t total = 0;
        while (total <= entry.size) {
            auto n = fs::read_some(fd.get(), buffer);
            if (!n) return std::unexpected(n.error().context(source));
            if (*n == 0) break;
            const auto chunk = std::span<const std::byte>(buffer).first(*n);
            hash.update(chunk);
            if (auto st = sink.write(chunk); !st) return st;
            total += *n;
        }
        const std::string actual = hash.finish_hex();
        if (total != entry.size || actual != entry.sha256) {
            report.problems.push_back(Problem{entry.path, "hash",
                                              entry.path + ": its copy in the base release, " + source + ", has " +
                                                  (total > entry.size ? "more than " : "") + std::to_string(total) +
                                                  " bytes of sha256 " + actual + "; the index says " +
                                                  std::to_string(entry.size) + " bytes of sha256 " + entry.sha256});
            return {};
        }
        if (auto st = sink.end_file(entry); !st) return st;
        ++report.files_from_base;
    }
    return {};
}

}  // namespace gapbundle::bundle::detail
