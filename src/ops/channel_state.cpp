#include "channel_state.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/crash_point.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>

namespace gapbundle::ops {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr std::uint64_t k_max_record_bytes = 64 << 10;
constexpr std::string_view k_anchor_extension = ".pending";

stdfs::path channels_dir(const stdfs::path& state_dir)
{
    return state_dir / "channels";
}

struct Record {
    std::string channel;
    bundle::AcceptedBundle accepted;
    time::Seconds newest_created = 0;
};

// The fields a channel record and a roll-forward anchor share, from `file` (named CHANNEL +
// `extension`); `what` names the kind of file in errors, `remedy` what the operator should do.
// `more` reads the rest of the document.
template <typename Out, typename More>
Result<Out> read_channel_file(const stdfs::path& file, std::string_view extension, const std::string& what,
                              const std::string& remedy, More more)
{
    const auto bad = [&](const std::string& why) {
        return fail(ErrorCode::verification, file.string() + ": damaged " + what + " (" + why + "); " + remedy);
    };
    auto text = fs::read_small_file(file, k_max_record_bytes);
    if (!text) return std::unexpected(text.error());
    try {
        const json doc = json::parse(*text);
        Out out;
        out.channel = doc.at("channel").get<std::string>();
        out.accepted.serial = doc.at("serial").get<std::uint64_t>();
        out.accepted.index_sha256 = doc.at("index_sha256").get<std::string>();
        if (auto why = more(doc, out)) return bad(*why);
        if (!text::is_safe_name(out.channel) || file.filename() != out.channel + std::string(extension))
            return bad("the channel does not match the file's name");
        if (!text::is_sha256_hex(out.accepted.index_sha256)) return bad("index_sha256 is not a sha256");
        return out;
    } catch (const json::exception& e) {
        return bad(e.what());
    }
}

Result<Record> read_record(const stdfs::path& file)
{
    return read_channel_file<Record>(
        file, ".json", "channel state", "restore it from a backup, or remove it to trust this channel anew",
        [](const json& doc, Record& r) -> std::optional<std::string> {
            auto newest = time::parse_rfc3339(doc.at("newest_created").get<std::string>());
            if (!newest) return "newest_created: " + newest.error().message;
            r.newest_created = *newest;
            return std::nullopt;
        });
}

struct Anchor {
    std::string channel;
    bundle::AcceptedBundle accepted;
    std::string created;
    stdfs::path holder;
};

Result<Anchor> read_anchor(const stdfs::path& file)
{
    return read_channel_file<Anchor>(file, k_anchor_extension, "roll-forward anchor",
                                     "remove it once the channel's last unpack is known",
                                     [](const json& doc, Anchor& a) -> std::optional<std::string> {
                                         a.created = doc.at("created").get<std::string>();
                                         a.holder = doc.at("holder").get<std::string>();
                                         return std::nullopt;
                                     });
}

// Whether the anchored bundle was committed: its holder has the anchored index.
bool committed(const Anchor& anchor)
{
    auto digest = crypto::sha256_file(anchor.holder / bundle::k_index_path);
    return digest && digest->sha256 == anchor.accepted.index_sha256;
}

Result<std::vector<stdfs::path>> anchor_files(const stdfs::path& state_dir)
{
    std::vector<stdfs::path> files;
    const auto folder = channels_dir(state_dir);
    std::error_code ec;
    if (!stdfs::exists(folder, ec)) return files;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& file = it->path();
        if (file.extension() == k_anchor_extension && !file.filename().string().starts_with(".")) files.push_back(file);
    }
    if (ec) return fail(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
    return files;
}

// Writers of the channels folder take turns under a lock on it, so that a temporary file found
// there while holding it was left by a run that was killed.
Result<UniqueFd> lock_channels(const stdfs::path& state_dir)
{
    if (auto st = prepare_channel_state(state_dir); !st) return std::unexpected(st.error());
    const auto folder = channels_dir(state_dir);
    UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid() || ::flock(fd.get(), LOCK_EX) != 0)
        return fail(ErrorCode::io, folder.string() + ": cannot lock: " + errno_text(errno));
    return fd;
}

// The lock's holder only.
Status write_record(const stdfs::path& state_dir, const std::string& channel, const bundle::AcceptedBundle& accepted,
                    const std::string& created)
{
    if (!text::is_safe_name(channel)) return fail(ErrorCode::verification, "channel '" + channel + "' cannot name a file");
    const auto file = channels_dir(state_dir) / (channel + ".json");
    time::Seconds newest = time::parse_rfc3339(created).value_or(0);
    std::error_code ec;
    if (stdfs::exists(file, ec)) {
        auto before = read_record(file);
        if (!before) return std::unexpected(before.error());
        newest = std::max(newest, before->newest_created);
    }
    const json doc{{"channel", channel},
                   {"serial", accepted.serial},
                   {"index_sha256", accepted.index_sha256},
                   {"created", created},
                   {"newest_created", time::format_rfc3339(newest)},
                   {"accepted_at", time::format_rfc3339(time::now())}};
    return fs::write_file_atomic(file, doc.dump(2) + "\n", 0644);
}

}  // namespace

Result<ChannelState> load_channel_state(const stdfs::path& state_dir)
{
    ChannelState state;
    const auto folder = channels_dir(state_dir);
    std::error_code ec;
    if (!stdfs::exists(folder, ec)) return state;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& file = it->path();
        if (file.extension() != ".json" || file.filename().string().starts_with(".")) continue;  // temp files
        auto record = read_record(file);
        if (!record) return std::unexpected(record.error());
        state.newest_created = std::max(state.newest_created, record->newest_created);
        state.accepted.emplace(record->channel, std::move(record->accepted));
    }
    if (ec) return fail(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
    auto anchors = anchor_files(state_dir);
    if (!anchors) return std::unexpected(anchors.error());
    for (const auto& file : *anchors) {
        auto anchor = read_anchor(file);
        if (!anchor) return std::unexpected(anchor.error());
        if (!committed(*anchor)) continue;
        state.newest_created = std::max(state.newest_created, time::parse_rfc3339(anchor->created).value_or(0));
        state.accepted.insert_or_assign(anchor->channel, std::move(anchor->accepted));
    }
    return state;
}

Status prepare_channel_state(const stdfs::path& state_dir)
{
    if (auto st = fs::create_directories(channels_dir(state_dir)); !st)
        return std::unexpected(st.error().context("--state-dir " + state_dir.string()));
    return {};
}

Status record_accepted(const stdfs::path& state_dir, const bundle::Index& index, const std::string& index_sha256)
{
    auto lock = lock_channels(state_dir);
    if (!lock) return std::unexpected(lock.error());
    return write_record(state_dir, bundle::channel_of(index), bundle::AcceptedBundle{index.serial, index_sha256},
                        index.created);
}

Result<UniqueFd> write_anchor(const stdfs::path& state_dir, const bundle::Index& index, const std::string& index_sha256,
                              const stdfs::path& holder)
{
    const std::string& channel = bundle::channel_of(index);
    if (!text::is_safe_name(channel))
        return fail(ErrorCode::verification, "channel '" + channel + "' cannot name a file");
    const json doc{{"channel", channel},
                   {"serial", index.serial},
                   {"index_sha256", index_sha256},
                   {"created", index.created},
                   {"holder", stdfs::absolute(holder).string()}};
    auto lock = lock_channels(state_dir);
    if (!lock) return std::unexpected(lock.error());
    const auto file = channels_dir(state_dir) / (channel + std::string(k_anchor_extension));
    if (auto st = fs::write_file_atomic(file, doc.dump(2) + "\n", 0644); !st) return std::unexpected(st.error());
    // Taken while the folder is locked, so settle_anchors never sees this anchor unowned.
    UniqueFd alive(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!alive.valid() || ::flock(alive.get(), LOCK_EX) != 0)
        return fail(ErrorCode::io, file.string() + ": cannot lock: " + errno_text(errno));
    crash::point("anchor-written");
    return alive;
}

Status clear_anchor(const stdfs::path& state_dir, const std::string& channel)
{
    const auto file = channels_dir(state_dir) / (channel + std::string(k_anchor_extension));
    std::error_code ec;
    stdfs::remove(file, ec);
    if (ec) return fail(ErrorCode::io, file.string() + ": cannot remove: " + ec.message());
    return fs::fsync_path(channels_dir(state_dir));
}

Status settle_anchors(const stdfs::path& state_dir)
{
    auto lock = lock_channels(state_dir);
    if (!lock) return std::unexpected(lock.error());
    const auto folder = channels_dir(state_dir);
    std::error_code ec;
    for (stdfs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(".") && name.find(".tmp.") != std::string::npos) {  // AtomicFile's, left by a killed run
            std::error_code removed;
            stdfs::remove(it->path(), removed);
            if (removed)
                return fail(ErrorCode::io,
                            it->path().string() + ": a stale temporary file, cannot remove: " + removed.message());
        }
    }
    if (ec) return fail(ErrorCode::io, folder.string() + ": cannot list: " + ec.message());
    auto anchors = anchor_files(state_dir);
    if (!anchors) return std::unexpected(anchors.error());
    for (const auto& file : *anchors) {
        UniqueFd owner(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!owner.valid()) return fail(ErrorCode::io, file.string() + ": cannot open: " + errno_text(errno));
        if (::flock(owner.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK) continue;  // its run is alive and will record or drop it
            return fail(ErrorCode::io, file.string() + ": cannot lock: " + errno_text(errno));
        }
        auto anchor = read_anchor(file);
        if (!anchor) return std::unexpected(anchor.error());
        if (committed(*anchor)) {
            if (auto st = write_record(state_dir, anchor->channel, anchor->accepted, anchor->created); !st) return st;
        }
        if (auto st = clear_anchor(state_dir, anchor->channel); !st) return st;
    }
    return {};
}

}  // namespace gapbundle::ops
