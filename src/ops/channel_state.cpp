#include "channel_state.hpp"

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace gapbundle::ops {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr std::uint64_t k_max_record_bytes = 64 << 10;

stdfs::path channels_dir(const stdfs::path& state_dir)
{
    return state_dir / "channels";
}

struct Record {
    std::string channel;
    bundle::AcceptedBundle accepted;
    time::Seconds newest_created = 0;
};

Result<Record> read_record(const stdfs::path& file)
{
    const auto bad = [&](const std::string& why) {
        return fail(ErrorCode::verification, file.string() + ": damaged channel state (" + why +
                                                 "); restore it from a backup, or remove it to trust this channel anew");
    };
    auto text = fs::read_small_file(file, k_max_record_bytes);
    if (!text) return std::unexpected(text.error());
    try {
        const json doc = json::parse(*text);
        Record r;
        r.channel = doc.at("channel").get<std::string>();
        r.accepted.serial = doc.at("serial").get<std::uint64_t>();
        r.accepted.index_sha256 = doc.at("index_sha256").get<std::string>();
        auto newest = time::parse_rfc3339(doc.at("newest_created").get<std::string>());
        if (!newest) return bad("newest_created: " + newest.error().message);
        r.newest_created = *newest;
        if (!text::is_safe_name(r.channel) || file.filename() != r.channel + ".json")
            return bad("the channel does not match the file's name");
        if (!text::is_sha256_hex(r.accepted.index_sha256)) return bad("index_sha256 is not a sha256");
        return r;
    } catch (const json::exception& e) {
        return bad(e.what());
    }
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
    const std::string& channel = bundle::channel_of(index);
    if (!text::is_safe_name(channel)) return fail(ErrorCode::verification, "channel '" + channel + "' cannot name a file");
    const auto file = channels_dir(state_dir) / (channel + ".json");
    time::Seconds newest = time::parse_rfc3339(index.created).value_or(0);
    std::error_code ec;
    if (stdfs::exists(file, ec)) {
        auto before = read_record(file);
        if (!before) return std::unexpected(before.error());
        newest = std::max(newest, before->newest_created);
    }
    const json doc{{"channel", channel},
                   {"serial", index.serial},
                   {"index_sha256", index_sha256},
                   {"created", index.created},
                   {"newest_created", time::format_rfc3339(newest)},
                   {"accepted_at", time::format_rfc3339(time::now())}};
    if (auto st = prepare_channel_state(state_dir); !st) return st;
    return fs::write_file_atomic(file, doc.dump(2) + "\n", 0644);
}

}  // namespace gapbundle::ops
