#include <gapbundle/ops/audit.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>
#include <gapbundle/util/time.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

namespace gapbundle::ops {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

const std::string k_genesis(64, '0');
constexpr std::size_t k_max_problems = 50;  // a record stays a line, not a report
constexpr std::size_t k_tail_bytes = 1 << 20;

std::string dump(const json& record)
{
    return record.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The record's own digest: SHA-256 of its JSON (keys sorted, no spaces) without "hash".
std::string hash_of(json record)
{
    record.erase("hash");
    return crypto::sha256_hex(dump(record));
}

stdfs::path log_path(const stdfs::path& state_dir)
{
    return state_dir / "audit.jsonl";
}

json user_json()
{
    const uid_t uid = ::getuid();
    json user{{"uid", uid}};
    if (const passwd* entry = ::getpwuid(uid)) user["name"] = entry->pw_name;
    return user;
}

json record_json(const AuditEvent& event)
{
    json record{{"time", time::format_rfc3339(time::now())},
                {"user", user_json()},
                {"command", event.command},
                {"subject", event.subject}};
    if (const auto* report = event.report) {
        record["result"] = event.error ? "error" : report->ok() ? "ok" : "refused";
        record["key_ids"] = report->signers;
        if (report->index) {
            record["channel"] = bundle::channel_of(*report->index);
            record["serial"] = report->index->serial;
            record["index_sha256"] = report->index_sha256;
        }
        auto problems = json::array();
        for (std::size_t i = 0; i < report->problems.size() && i < k_max_problems; ++i) {
            const auto& problem = report->problems[i];
            problems.push_back({{"path", problem.path}, {"kind", problem.kind}, {"message", problem.message}});
        }
        record["problems"] = problems;
        if (report->problems.size() > k_max_problems) record["problems_left_out"] = report->problems.size() - k_max_problems;
        record["notes"] = report->notes;
    } else {
        record["result"] = event.error ? "error" : "ok";
    }
    if (event.error) record["error"] = event.error->message;
    return record;
}

// The last line of the open log, without its newline; empty when the log is empty.
Result<std::string> last_line(int fd, const stdfs::path& path)
{
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size < 0) return fail(ErrorCode::io, path.string() + ": " + errno_text(errno));
    const auto want = static_cast<std::size_t>(std::min<off_t>(size, static_cast<off_t>(k_tail_bytes)));
    std::string tail(want, '\0');
    if (want > 0 && ::pread(fd, tail.data(), want, size - static_cast<off_t>(want)) != static_cast<ssize_t>(want))
        return fail(ErrorCode::io, path.string() + ": cannot read its end: " + errno_text(errno));
    if (tail.empty()) return std::string();
    if (tail.back() != '\n') return fail(ErrorCode::verification, path.string() + ": the last record is cut short");
    tail.pop_back();
    const auto start = tail.rfind('\n');
    if (start == std::string::npos && static_cast<off_t>(want) < size)
        return fail(ErrorCode::verification, path.string() + ": the last record is longer than 1 MiB");
    return start == std::string::npos ? tail : tail.substr(start + 1);
}

}  // namespace

Status append_audit(const stdfs::path& state_dir, const AuditEvent& event)
{
    if (auto st = fs::create_directories(state_dir); !st) return st;
    const auto path = log_path(state_dir);
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd.valid()) return fail(ErrorCode::io, path.string() + ": cannot open: " + errno_text(errno));
    if (::flock(fd.get(), LOCK_EX) != 0) return fail(ErrorCode::io, path.string() + ": cannot lock: " + errno_text(errno));
    auto previous = last_line(fd.get(), path);
    if (!previous) return std::unexpected(previous.error());
    std::uint64_t seq = 1;
    std::string prev = k_genesis;
    if (!previous->empty()) {
        try {
            const json last = json::parse(*previous);
            seq = last.at("seq").get<std::uint64_t>() + 1;
            prev = last.at("hash").get<std::string>();
        } catch (const json::exception& e) {
            return fail(ErrorCode::verification, path.string() + ": the last record is damaged: " + e.what() +
                                                     " (gapbundle audit verify names the first broken record)");
        }
    }
    json record = record_json(event);
    record["seq"] = seq;
    record["prev"] = prev;
    record["hash"] = hash_of(record);
    const std::string line = dump(record) + "\n";
    const off_t end = ::lseek(fd.get(), 0, SEEK_END);
    if (auto st = fs::write_all(fd.get(), std::as_bytes(std::span(line.data(), line.size()))); !st) {
        // A record cut short by a full disk would break every append after it: cut it off again.
        if (end >= 0) (void)::ftruncate(fd.get(), end);
        return std::unexpected(st.error().context(path.string()));
    }
    if (::fsync(fd.get()) != 0) return fail(ErrorCode::io, path.string() + ": fsync: " + errno_text(errno));
    return {};
}

Status append_install_audit(const stdfs::path& state_dir, const std::string& command, const stdfs::path& unpacked,
                            const std::optional<Error>& error)
{
    AuditEvent event{command, unpacked.string(), nullptr, error};
    bundle::VerifyReport identity;  // what the unpacked tree says it is (it was verified when unpacked)
    if (auto bytes = fs::read_small_file(unpacked / bundle::k_index_path, bundle::k_max_index_bytes)) {
        if (auto index = bundle::parse_index(*bytes)) {
            identity.index = std::move(*index);
            identity.index_sha256 = crypto::sha256_hex(*bytes);
            identity.authenticated = true;
        }
    }
    if (identity.index) {
        // Not a verification: recorded as the install's outcome, with the tree's identity.
        AuditEvent with_identity = event;
        with_identity.report = &identity;
        return append_audit(state_dir, with_identity);
    }
    return append_audit(state_dir, event);
}

Result<AuditCheck> verify_audit(const stdfs::path& state_dir)
{
    AuditCheck check;
    const auto path = log_path(state_dir);
    std::error_code ec;
    if (!stdfs::exists(path, ec)) return check;
    UniqueFile file(std::fopen(path.c_str(), "re"));
    if (!file) return fail(ErrorCode::io, path.string() + ": cannot open: " + errno_text(errno));
    std::string previous = k_genesis;
    std::string line;
    std::size_t number = 0;
    int c = 0;
    const auto broken = [&](const std::string& why) {
        check.broken = path.string() + ":" + std::to_string(number) + ": " + why;
        return check;
    };
    for (bool more = true; more;) {
        line.clear();
        while ((c = std::fgetc(file.get())) != EOF && c != '\n') line.push_back(static_cast<char>(c));
        more = c != EOF;
        if (!more && line.empty()) break;
        ++number;
        if (!more) return broken("cut short (no newline at the end)");
        json record;
        try {
            record = json::parse(line);
        } catch (const json::exception& e) {
            return broken(std::string("not a JSON record: ") + e.what());
        }
        if (!record.is_object() || !record.contains("seq") || !record.contains("prev") || !record.contains("hash") ||
            !record["hash"].is_string() || !record["prev"].is_string())
            return broken("not an audit record (no seq, prev or hash)");
        if (record["hash"].get<std::string>() != hash_of(record))
            return broken("its hash does not match its content (the record was edited)");
        if (record["prev"].get<std::string>() != previous)
            return broken("prev is not the hash of the record before it (a record was removed, added or reordered)");
        if (!record["seq"].is_number_unsigned() || record["seq"].get<std::uint64_t>() != number)
            return broken("seq is not " + std::to_string(number));
        previous = record["hash"].get<std::string>();
        ++check.records;
    }
    return check;
}

}  // namespace gapbundle::ops
