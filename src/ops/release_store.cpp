#include <gapbundle/ops/release_store.hpp>

#include "channel_state.hpp"
#include "unpack_steps.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace gapbundle::ops {

namespace {

namespace stdfs = std::filesystem;

constexpr std::string_view k_removing = ".gapbundle-removing";
constexpr std::string_view k_switch_mark = ".switch.";

stdfs::path releases_of(const stdfs::path& store, const std::string& channel)
{
    return store / "releases" / channel;
}

std::optional<std::uint64_t> serial_of(const std::string& name)
{
    std::uint64_t serial = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), serial);
    if (ec != std::errc() || end != name.data() + name.size() || name.empty()) return std::nullopt;
    return serial;
}

// current/<channel> → ../releases/<channel>/<serial>, replaced in one rename.
Status switch_current(const stdfs::path& store, const std::string& channel, std::uint64_t serial)
{
    const auto folder = store / "current";
    if (auto st = fs::create_directories(folder); !st) return st;
    const auto link = folder / channel;
    const std::string prefix = "." + channel + std::string(k_switch_mark);
    const auto temp = folder / (prefix + std::to_string(::getpid()));
    const std::string target = "../releases/" + channel + "/" + std::to_string(serial);
    // Switches take turns under a lock on current/, so a temporary link found there while holding
    // it was left by a run killed before its rename: swept.
    UniqueFd lock(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!lock.valid() || ::flock(lock.get(), LOCK_EX) != 0)
        return fail(ErrorCode::io, folder.string() + ": cannot lock: " + errno_text(errno));
    std::error_code ec;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (const auto name = it->path().filename().string();
            name.starts_with(".") && name.find(k_switch_mark) != std::string::npos)
            ::unlink(it->path().c_str());
    if (::symlink(target.c_str(), temp.c_str()) != 0)
        return fail(ErrorCode::io, temp.string() + ": cannot create a symlink: " + errno_text(errno));
    crash::point("store-link-made");
    if (::rename(temp.c_str(), link.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return fail(ErrorCode::io, link.string() + ": cannot switch to " + target + ": " + errno_text(error));
    }
    crash::point("store-switched");
    return fs::fsync_path(folder);
}

// The release a channel's current link names, if any.
std::optional<std::string> current_release(const stdfs::path& store, const std::string& channel)
{
    std::error_code ec;
    const auto target = stdfs::read_symlink(store / "current" / channel, ec);
    if (ec) return std::nullopt;
    return target.filename().string();
}

// Renamed out of the way first, so that a removal cut short never looks like a release.
Status remove_release(const stdfs::path& release)
{
    const auto doomed = release.parent_path() / ("." + release.filename().string() + std::string(k_removing));
    std::error_code ec;
    stdfs::rename(release, doomed, ec);
    if (ec) return fail(ErrorCode::io, release.string() + ": cannot remove: " + ec.message());
    stdfs::remove_all(doomed, ec);
    if (ec) return fail(ErrorCode::io, doomed.string() + ": cannot remove: " + ec.message());
    return {};
}

}  // namespace

namespace {

// A run killed between switching current/<channel> and recording the channel state left the
// state behind the store. The release current/ names was verified before the switch, so the state
// rolls forward to it before anything is decided from it.
Status roll_state_forward(const stdfs::path& store, const std::string& channel, const TrustOptions& trust)
{
    if (trust.state_dir.empty()) return {};
    const auto serial = current_release(store, channel);
    if (!serial) return {};
    const auto release = releases_of(store, channel) / *serial;
    auto bytes = fs::read_small_file(release / bundle::k_index_path, bundle::k_max_index_bytes);
    if (!bytes) return {};  // not a release this code made: nothing to roll forward to
    auto index = bundle::parse_index(*bytes);
    if (!index || bundle::channel_of(*index) != channel) return {};
    auto state = load_channel_state(trust.state_dir);
    if (!state) return std::unexpected(state.error());
    const auto sha = crypto::sha256_hex(*bytes);
    const auto recorded = state->accepted.find(channel);
    if (recorded != state->accepted.end() && recorded->second.serial == index->serial &&
        recorded->second.index_sha256 == sha)
        return {};
    return record_accepted(trust.state_dir, *index, sha);
}

Result<StoreUnpackReport> unpack_into_store_unaudited(const stdfs::path& bundle, const stdfs::path& store,
                                                      const TrustOptions& trust)
{
    // Only names the folder: authenticated below, and compared after. The index itself is not kept
    // through the unpack, which reads its own (25 MB at 66,000 files).
    std::string channel;
    std::uint64_t serial = 0;
    std::optional<bundle::BaseRef> base;
    {
        auto head = bundle::read_index(bundle);
        if (!head) return std::unexpected(head.error());
        channel = bundle::channel_of(head->index);
        serial = head->index.serial;
        base = head->index.base;
    }
    if (!text::is_safe_name(channel)) return fail(ErrorCode::verification, "channel '" + channel + "' cannot name a folder");

    if (!trust.state_dir.empty()) {
        if (auto st = settle_anchors(trust.state_dir); !st) return std::unexpected(st.error());
    }
    if (auto st = roll_state_forward(store, channel, trust); !st) return std::unexpected(st.error());

    StoreUnpackReport result;
    result.release = releases_of(store, channel) / std::to_string(serial);
    result.current = store / "current" / channel;
    if (auto st = fs::create_directories(result.release.parent_path()); !st) return std::unexpected(st.error());

    std::error_code ec;
    if (stdfs::exists(result.release, ec)) {
        auto options = verify_options(trust);  // not verify(): this run is audited once, as an unpack
        if (!options) return std::unexpected(options.error());
        auto report = bundle::verify_bundle(bundle, *options);
        if (!report) return std::unexpected(report.error());
        result.unpack.verify = std::move(*report);
        if (!result.unpack.verify.ok()) return result;
        auto there = fs::read_small_file(result.release / bundle::k_index_path, bundle::k_max_index_bytes);
        if (!there) return std::unexpected(there.error());
        const auto there_sha = crypto::sha256_hex(*there);
        if (there_sha != result.unpack.verify.index_sha256)
            return fail(ErrorCode::verification, result.release.string() + " holds another bundle (index sha256 " +
                                                     there_sha + "; this one's is " +
                                                     result.unpack.verify.index_sha256 + ")");
        result.already_there = true;
        result.unpack.files_unchanged = result.unpack.verify.files + result.unpack.verify.from_base;
    } else {
        // A delta's base is needed only to make its release: one already there stands alone.
        stdfs::path base_tree;
        if (base) {
            base_tree = releases_of(store, channel) / std::to_string(base->serial);
            if (!stdfs::is_directory(stdfs::symlink_status(base_tree, ec)))
                return fail(ErrorCode::usage, bundle.string() + " is a delta: base serial " +
                                                  std::to_string(base->serial) + " not in the store (" +
                                                  base_tree.string() + "); unpack that release, or a full bundle, first");
        }
        auto report = unpack_unrecorded(bundle, result.release, trust, bundle::ExistingDestination::refuse, {}, base_tree);
        if (!report) return std::unexpected(report.error());
        result.unpack = std::move(*report);
        if (!result.unpack.verify.ok()) return result;
    }
    const auto& index = *result.unpack.verify.index;
    if (bundle::channel_of(index) != channel || index.serial != serial) {
        (void)remove_release(result.release);
        return fail(ErrorCode::verification, bundle.string() + " changed while it was read (its index named channel '" +
                                                 channel + "' serial " + std::to_string(serial) + " first)");
    }
    UniqueFd anchor_alive;  // held until the anchor is cleared
    if (!trust.state_dir.empty()) {
        // current/<channel> is the holder: once switched, it leads to this bundle's index.
        auto alive = write_anchor(trust.state_dir, index, result.unpack.verify.index_sha256, stdfs::absolute(result.current));
        if (!alive) return std::unexpected(alive.error());
        anchor_alive = std::move(*alive);
    }
    if (auto st = switch_current(store, channel, serial); !st) return std::unexpected(st.error());
    crash::point("unpack-committed");
    if (auto st = record_unpacked(trust, result.unpack.verify, result.release); !st) return std::unexpected(st.error());
    return result;
}

}  // namespace

Result<StoreUnpackReport> unpack_into_store(const stdfs::path& bundle, const stdfs::path& store,
                                            const TrustOptions& trust)
{
    auto result = unpack_into_store_unaudited(bundle, store, trust);
    audit(trust, "unpack --store", bundle, result ? &result->unpack.verify : nullptr,
          result ? std::nullopt : std::optional(result.error()));
    return result;
}

Result<GcReport> gc_store(const stdfs::path& store, unsigned keep_previous)
{
    GcReport report;
    const auto releases = store / "releases";
    std::error_code ec;
    if (!stdfs::is_directory(releases, ec))
        return fail(ErrorCode::usage, releases.string() + ": not a release store (no releases/ folder)");
    std::vector<stdfs::path> channels;
    for (stdfs::directory_iterator it(releases, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) channels.push_back(it->path());
    if (ec) return fail(ErrorCode::io, releases.string() + ": cannot list: " + ec.message());
    std::ranges::sort(channels);
    for (const auto& folder : channels) {
        const std::string channel = folder.filename().string();
        // The lock unpack holds on the folder it unpacks into: gc waits for a running unpack.
        UniqueFd lock(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!lock.valid() || ::flock(lock.get(), LOCK_EX) != 0)
            return fail(ErrorCode::io, folder.string() + ": cannot lock: " + errno_text(errno));
        const auto current = current_release(store, channel);
        std::vector<std::pair<std::uint64_t, stdfs::path>> previous;
        for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.starts_with(".") && name.ends_with(k_removing)) {  // a removal cut short
                stdfs::remove_all(it->path(), ec);
                continue;
            }
            const auto serial = serial_of(name);
            if (!serial || !it->is_directory(ec)) continue;
            if (current && *current == name) report.kept.push_back(it->path());
            else previous.emplace_back(*serial, it->path());
        }
        if (ec) return fail(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
        std::ranges::sort(previous, std::greater<>{});
        for (std::size_t i = 0; i < previous.size(); ++i) {
            if (i < keep_previous) {
                report.kept.push_back(previous[i].second);
                continue;
            }
            if (auto st = remove_release(previous[i].second); !st) return std::unexpected(st.error());
            report.removed.push_back(previous[i].second);
        }
    }
    std::ranges::sort(report.kept);
    std::ranges::sort(report.removed);
    return report;
}

}  // namespace gapbundle::ops
