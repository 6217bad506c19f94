// verify_bundle: one streaming pass. Authenticate index.json first, then check every entry.

#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/bundle/volumes.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/interrupt.hpp>

#include "aside_hasher.hpp"
#include "bundle_reader.hpp"
#include "entry_check.hpp"

#include <algorithm>
#include <unordered_map>

namespace gapbundle::bundle {

namespace {

using detail::AsideHasher;
using detail::BundleReader;
using detail::ReadFailure;

struct Head {
    std::string index_bytes;
    std::string signatures_bytes;
};

// Moves to the entry that must come next in the head and checks its header; returns its size.
std::expected<std::uint64_t, Problem> open_head_entry(BundleReader& reader, std::string_view want, std::uint64_t cap)
{
    const std::string bundle = reader.path().string();
    auto header = reader.next();
    if (!header)
        return std::unexpected(Problem{header.error().path.value_or(bundle), header.error().kind, header.error().message});
    if (!*header)
        return std::unexpected(Problem{bundle, "truncated", bundle + ": ends before " + std::string(want)});
    const auto path = detail::entry_path(*header);
    if (!path || *path != want)
        return std::unexpected(Problem{bundle, "format", bundle + ": expected " + std::string(want) + ", found '" +
                                                             path.value_or("(not UTF-8)") + "'"});
    const int format = archive_format(reader.handle());
    if (format != ARCHIVE_FORMAT_TAR_USTAR && format != ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE)
        return std::unexpected(Problem{*path, "format", *path + ": header is not ustar or pax"});
    if (archive_entry_filetype(*header) != AE_IFREG || archive_entry_hardlink(*header))
        return std::unexpected(Problem{*path, "format", *path + ": must be a regular file"});
    if (archive_entry_size(*header) < 0 || static_cast<std::uint64_t>(archive_entry_size(*header)) > cap)
        return std::unexpected(Problem{*path, "format", *path + ": larger than " + std::to_string(cap) + " bytes"});
    return static_cast<std::uint64_t>(archive_entry_size(*header));
}

// Reads the entry that must come next in the head, as bytes (capped).
std::expected<std::string, Problem> read_head_entry(BundleReader& reader, std::string_view want, std::uint64_t cap)
{
    auto size = open_head_entry(reader, want, cap);
    if (!size) return std::unexpected(size.error());
    auto bytes = reader.read_small(cap, *size);
    if (!bytes) return std::unexpected(Problem{std::string(want), bytes.error().kind, bytes.error().message});
    return std::move(*bytes);
}

std::expected<Head, Problem> read_head_bytes(BundleReader& reader)
{
    Head head;
    auto index = read_head_entry(reader, k_index_path, k_max_index_bytes);
    if (!index) return std::unexpected(index.error());
    auto signatures = read_head_entry(reader, k_signatures_path, k_max_signatures_bytes);
    if (!signatures) return std::unexpected(signatures.error());
    head.index_bytes = std::move(*index);
    head.signatures_bytes = std::move(*signatures);
    return head;
}

// A head that fails to read from a file named like a later volume (BUNDLE.001): say which to give.
Problem later_volume_hint(const std::filesystem::path& bundle, Problem problem)
{
    const auto number = volume_number_of(bundle);
    if (number && *number > 0) {
        const std::string name = bundle.filename().string();
        problem.message += "; " + name + " looks like a later volume of a bundle in volumes: give the first, " +
                           name.substr(0, name.size() - 3) + "000";
    }
    return problem;
}

class Session {
public:
    Session(BundleReader& reader, const VerifyOptions& options, EntrySink* sink, VerifyReport& report)
        : m_reader(reader), m_options(options), m_sink(sink), m_report(report)
    {
    }

    Status run();

private:
    void add(Problem problem)
    {
        // A damaged volume fails every read after it: named once.
        if (problem.kind == "volume" && std::ranges::find(m_report.problems, problem.message, &Problem::message) !=
                                            m_report.problems.end())
            return;
        m_report.problems.push_back(std::move(problem));
    }
    bool stop() const { return m_halt || (m_sink && !m_report.problems.empty()); }
    void refuse(archive_entry* header, Problem problem);
    bool authenticate(const Head& head);
    bool admit(const Index& index);
    bool check_case_collisions(const Index& index);
    bool check_volumes();
    void add_signature_problems(const SignatureCheck& check);
    void index_stream_positions();
    Status check_entries();
    Status check_entry(archive_entry* header, const std::string& path);
    Status check_position(std::size_t position, const std::string& path, bool& accept);
    Status check_file_data(const Entry& entry);
    Status deliver(const Entry& entry);
    Status hash_failure(Error error);
    void place_late_problems();
    Status end_verified_file(const Entry& entry, bool hash_matters);

    BundleReader& m_reader;
    const VerifyOptions& m_options;
    EntrySink* m_sink;
    VerifyReport& m_report;
    std::vector<std::size_t> m_order;                         // stream position → index position
    // path (a view into m_report.index, which stays put) → stream position
    std::unordered_map<std::string_view, std::size_t> m_position;
    std::vector<bool> m_seen;
    std::size_t m_cursor = 0;
    // Verifying alone: a file's hash problem, found by the hashing thread, and the place in
    // m_report.problems it would have had had the file been hashed here (problems stay in stream
    // order). Touched by that thread only until m_aside_hash is drained; declared before it, so
    // that it outlives the thread.
    struct LateProblem {
        std::size_t slot;
        Problem problem;
        std::uint64_t size;  // of the file, counted as verified until its hash came back
    };
    std::vector<LateProblem> m_late_problems;
    // Every file is hashed and checked on a second thread while this one reads (and, unpacking,
    // writes) the next.
    AsideHasher m_aside_hash;
    bool m_mismatch_added = false;  // its mismatch is in the report
    bool m_halt = false;          // an unread entry too big to skip: the report ends here
};

// Verify goes on past a refused entry to name every problem, skipping its data; not past one whose
// header claims more than this (10 GiB of zeros are a few kilobytes of zstd).
constexpr la_int64_t k_max_skipped_bytes = 64ll << 20;

void Session::refuse(archive_entry* header, Problem problem)
{
    add(std::move(problem));
    if (archive_entry_size(header) > k_max_skipped_bytes) m_halt = true;
}

Status Session::run()
{
    auto head = read_head_bytes(m_reader);
    if (!head) {
        add(later_volume_hint(m_reader.path(), head.error()));
        return {};
    }
    if (!authenticate(*head) || !check_volumes()) return {};
    // The signed bytes are not needed past here: the sink keeps the signatures, the index goes (a
    // big one is megabytes).
    if (m_sink) {
        if (auto st = m_sink->accept_head(std::move(head->signatures_bytes)); !st)
            return st;
    }
    { const Head spent = std::move(*head); }  // `*head = Head{}` would keep the strings' capacity
    index_stream_positions();  // after the bytes went: for 100,000 files they are 15 MB, this 4
    if (auto st = check_entries(); !st) return hash_failure(st.error());
    // Even after another problem: a file before it may not have matched.
    if (auto st = m_aside_hash.drain(); !st) return hash_failure(st.error());
    place_late_problems();
    return {};
}

void Session::place_late_problems()
{
    if (m_late_problems.empty()) return;
    std::vector<Problem> merged;
    merged.reserve(m_report.problems.size() + m_late_problems.size());
    auto late = m_late_problems.begin();
    for (std::size_t i = 0; i <= m_report.problems.size(); ++i) {
        for (; late != m_late_problems.end() && late->slot == i; ++late) {
            merged.push_back(std::move(late->problem));
            --m_report.files;
            m_report.bytes -= late->size;
        }
        if (i < m_report.problems.size()) merged.push_back(std::move(m_report.problems[i]));
    }
    m_report.problems = std::move(merged);
    m_late_problems.clear();
}

// An error from the aside hash: a file unpacked earlier did not match the index (a problem, like
// an inline hash's), or a failure of the session.
Status Session::hash_failure(Error error)
{
    const auto& mismatch = m_aside_hash.mismatch();
    if (!mismatch) return std::unexpected(std::move(error));
    if (!m_mismatch_added) {
        add(Problem{mismatch->path, "hash",
                    mismatch->path + ": sha256 " + mismatch->actual + ", the index says " + mismatch->expected});
        m_mismatch_added = true;
    }
    return {};
}

void Session::add_signature_problems(const SignatureCheck& check)
{
    const std::string path(k_index_path);
    for (const auto& text : check.problems) {
        const bool untrusted = text.starts_with("untrusted key");
        add(Problem{path, untrusted ? "untrusted" : "signature", path + ": " + text});
    }
    if (!check.trusted_signers.empty() || check.problems.empty())
        add(Problem{path, "threshold", path + ": " + std::to_string(check.trusted_signers.size()) + " of the " +
                                           std::to_string(m_options.threshold) +
                                           " required distinct trusted signatures"});
}

// The operator's policy beyond signatures: expiry, and the channel's history.
bool Session::admit(const Index& index)
{
    const std::string path(k_index_path);
    if (index.expires) {
        const auto at = time::parse_rfc3339(*index.expires);
        if (!at || *at <= m_options.now) {
            const std::string text = "the bundle expired at " + *index.expires + " (now " +
                                     time::format_rfc3339(m_options.now) + ")";
            if (!m_options.ignore_expiry) {
                add(Problem{path, "expired", path + ": " + text});
                return false;
            }
            m_report.notes.push_back(text + "; accepted because of --ignore-expiry");
        }
    }
    const std::string& channel = channel_of(index);
    if (m_options.channel && *m_options.channel != channel) {
        add(Problem{path, "channel", path + ": the bundle was signed for channel '" + channel + "', not '" +
                                         *m_options.channel + "'"});
        return false;
    }
    const auto accepted = m_options.accepted.find(channel);
    if (accepted == m_options.accepted.end()) return true;
    const auto& last = accepted->second;
    const std::string serials = "serial " + std::to_string(index.serial) + " on channel '" + channel + "'";
    if (index.serial < last.serial) {
        const std::string text = serials + " is older than serial " + std::to_string(last.serial) + ", accepted before";
        if (!m_options.allow_downgrade) {
            add(Problem{path, "rollback", path + ": " + text + " (--allow-downgrade to install it anyway)"});
            return false;
        }
        m_report.notes.push_back(text + "; accepted because of --allow-downgrade");
    } else if (index.serial == last.serial && m_report.index_sha256 != last.index_sha256) {
        add(Problem{path, "equivocation", path + ": " + serials + " was accepted before with another index (sha256 " +
                                              last.index_sha256 + ", this one " + m_report.index_sha256 + ")"});
        return false;
    }
    return true;
}

// Refused even when signed: unpacked on a case-insensitive file system, or copied there later, one
// entry would overwrite the other.
bool Session::check_case_collisions(const Index& index)
{
    constexpr std::size_t k_max_reported = 20;
    const auto pairs = case_collisions(index.entries, k_max_reported);
    for (const auto& [first, second] : pairs)
        add(Problem{second, "case_collision", second + ": differs from " + first + " only in letter case"});
    return pairs.empty();
}

bool Session::authenticate(const Head& head)
{
    const std::string path(k_index_path);
    auto signatures = parse_signatures(head.signatures_bytes);
    if (!signatures) {
        add(Problem{std::string(k_signatures_path), "format", signatures.error().message});
        return false;
    }
    const auto check = check_signatures(head.index_bytes, *signatures, m_options.trust);
    if (!check.meets(std::max(1, m_options.threshold))) {
        add_signature_problems(check);
        return false;
    }
    m_report.notes = check.problems;
    m_report.signers = check.trusted_signers;
    auto index = parse_index(head.index_bytes);
    if (!index) {
        add(Problem{path, "format", index.error().message});
        return false;
    }
    m_report.index = std::move(*index);
    m_report.index_sha256 = crypto::sha256_hex(head.index_bytes);
    if (!admit(*m_report.index)) return false;
    if (!check_case_collisions(*m_report.index)) return false;
    m_report.authenticated = true;
    return true;
}

void Session::index_stream_positions()
{
    m_order = stream_order(*m_report.index);
    m_report.from_base = m_report.index->entries.size() - m_order.size();
    m_seen.assign(m_order.size(), false);
    m_position.reserve(m_order.size());
    for (std::size_t i = 0; i < m_order.size(); ++i)
        m_position.emplace(std::string_view(m_report.index->entries[m_order[i]].path), i);
}

// A bundle in volumes: every payload volume must be beside the head, with the size the index
// gives, before any entry is read. Their hashes are checked as they are read (TarSource).
bool Session::check_volumes()
{
    const auto& volumes = m_report.index->volumes;
    if (volumes.empty()) return true;
    const std::string bundle = m_reader.path().string();
    const std::string count = std::to_string(volumes.size());
    const auto set = volume_set_of(m_reader.path());
    if (!set) {
        add(Problem{bundle, "volume", bundle + ": the index lists " + count +
                                          " payload volumes after the head, but this file is not named as a first "
                                          "volume (NAME.000): give the first volume, with the others beside it"});
        return false;
    }
    std::vector<detail::VolumeFile> files;
    for (std::size_t i = 0; i < volumes.size(); ++i) {
        const auto path = volume_path(*set, i + 1);
        const std::string where = " (volume " + std::to_string(i + 1) + " of " + count + " after the head)";
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (!std::filesystem::exists(status)) {
            add(Problem{path.string(), "volume", path.string() + ": missing" + where});
        } else if (!std::filesystem::is_regular_file(status)) {
            add(Problem{path.string(), "volume", path.string() + ": not a regular file" + where});
        } else if (const auto size = std::filesystem::file_size(path, ec); ec || size != volumes[i].size) {
            add(Problem{path.string(), "volume", path.string() + ": " + (ec ? ec.message() : std::to_string(size) + " bytes") +
                                                     ", the index says " + std::to_string(volumes[i].size) + where});
        } else {
            files.push_back(detail::VolumeFile{path, volumes[i]});
        }
    }
    if (files.size() != volumes.size()) return false;
    m_reader.chain_volumes(std::move(files));
    return true;
}

Status Session::check_entries()
{
    for (;;) {
        if (auto st = interrupt::check(); !st) return st;
        auto header = m_reader.next();
        if (!header) {
            const auto at = header.error().path                ? *header.error().path
                            : m_cursor < m_order.size() ? m_report.index->entries[m_order[m_cursor]].path
                                                        : m_reader.path().string();
            add(Problem{at, header.error().kind, header.error().message});
            return {};
        }
        if (!*header) break;
        const auto path = detail::entry_path(*header);
        if (!path) {
            add(Problem{m_reader.path().string(), "format", m_reader.path().string() + ": an entry name is not UTF-8"});
        } else if (auto st = check_entry(*header, *path); !st) {
            return st;
        }
        if (stop()) return {};
    }
    for (; m_cursor < m_order.size(); ++m_cursor) {
        const auto& entry = m_report.index->entries[m_order[m_cursor]];
        add(Problem{entry.path, "missing", entry.path + ": listed in the index but not in the bundle"});
        if (stop()) return {};
    }
    return {};
}

Status Session::check_position(std::size_t position, const std::string& path, bool& accept)
{
    accept = false;
    if (m_seen[position]) {
        add(Problem{path, "duplicate", path + ": appears more than once"});
        return {};
    }
    if (position < m_cursor) {
        add(Problem{path, "order", path + ": out of order (after entries that the index lists later)"});
    }
    for (; m_cursor < position; ++m_cursor) {
        const auto& skipped = m_report.index->entries[m_order[m_cursor]].path;
        if (m_seen[m_cursor]) continue;
        add(Problem{skipped, "missing", skipped + ": listed in the index but not in the bundle (found " + path +
                                            " in its place)"});
        if (stop()) return {};
    }
    m_seen[position] = true;
    if (position == m_cursor) ++m_cursor;
    accept = !stop();
    return {};
}

Status Session::check_entry(archive_entry* header, const std::string& path)
{
    if (auto problem = detail::check_profile(m_reader.handle(), header, path)) {
        refuse(header, std::move(*problem));
        return {};
    }
    const auto found = m_position.find(path);
    if (found == m_position.end()) {
        refuse(header, Problem{path, "extra", path + ": not listed in the index"});
        return {};
    }
    bool accept = false;
    if (auto st = check_position(found->second, path, accept); !st || !accept) {
        if (archive_entry_size(header) > k_max_skipped_bytes) m_halt = true;
        return st;
    }
    const Entry& entry = m_report.index->entries[m_order[found->second]];
    if (auto problem = detail::check_against_index(header, entry)) {
        refuse(header, std::move(*problem));
        return {};
    }
    return deliver(entry);
}

Status Session::deliver(const Entry& entry)
{
    switch (entry.type) {
    case EntryType::dir: return m_sink ? m_sink->make_dir(entry) : Status{};
    case EntryType::symlink: return m_sink ? m_sink->make_symlink(entry) : Status{};
    case EntryType::file: return check_file_data(entry);
    }
    return {};
}

Status Session::check_file_data(const Entry& entry)
{
    if (m_sink) {
        if (auto st = m_sink->begin_file(entry); !st) return st;
    }
    // A second thread hashes each file and checks it against the index while this one reads (and,
    // unpacking, writes) it and the next; a mismatch comes back from a later call (hash_failure)
    // before the tree is kept, or, verifying alone, joins the report at the end (m_late_problems).
    auto result = m_reader.read_data([&](std::span<const std::byte> chunk) -> Status {
        if (auto st = interrupt::check(); !st) return st;
        if (auto st = m_aside_hash.update(chunk); !st) return st;
        return m_sink ? m_sink->write(chunk) : Status{};
    });
    if (result.error) return hash_failure(*result.error);
    if (result.failure) {
        if (result.failure->kind == "volume")  // the volume is the culprit, not the entry it cut short
            add(Problem{result.failure->path.value_or(entry.path), "volume", result.failure->message});
        else
            add(Problem{entry.path, result.failure->kind, entry.path + ": " + result.failure->message});
        return end_verified_file(entry, false);
    }
    if (result.bytes != entry.size) {
        add(Problem{entry.path, "truncated", entry.path + ": " + std::to_string(result.bytes) + " of " +
                                                 std::to_string(entry.size) + " bytes"});
        return end_verified_file(entry, false);
    }
    if (m_sink) {
        if (auto st = m_aside_hash.expect(entry.path, entry.sha256); !st) return hash_failure(st.error());
    } else if (auto st = end_verified_file(entry, true); !st) {
        return st;
    }
    ++m_report.files;
    m_report.bytes += entry.size;
    return m_sink ? m_sink->end_file(entry) : Status{};
}

// Verifying alone: ends the file on the hashing thread, which checks its hash if `hash_matters`
// (the file was read whole). Either way the hash starts anew for the next file.
Status Session::end_verified_file(const Entry& entry, bool hash_matters)
{
    if (m_sink) return {};  // unpacking stops at the first problem: the hash of a broken file is never used
    const std::size_t slot = m_report.problems.size();
    return m_aside_hash.end_entry([this, slot, hash_matters, &entry](std::string actual) -> Status {
        if (hash_matters && actual != entry.sha256)
            m_late_problems.push_back(
                {slot, Problem{entry.path, "hash", entry.path + ": sha256 " + actual + ", the index says " + entry.sha256},
                 entry.size});
        return {};
    });
}

}  // namespace

Result<VerifyReport> verify_bundle(const std::filesystem::path& bundle, const VerifyOptions& options, EntrySink* sink)
{
    const detail::ScopedUtf8Locale utf8;
    auto reader = BundleReader::open(bundle);
    if (!reader) return std::unexpected(reader.error());
    VerifyReport report;
    Session session(*reader, options, sink, report);
    auto status = session.run();
    // A problem in the entries of a volume whose bytes are not the signed ones: the volume is the culprit.
    if (status && !report.problems.empty() && report.authenticated) {
        if (auto damaged = reader->damaged_volume();
            damaged && std::ranges::none_of(report.problems, [&](const Problem& p) { return p.kind == "volume"; }))
            report.problems.insert(report.problems.begin(), Problem{*damaged->path, damaged->kind, damaged->message});
    }
    if (sink && (!status || !report.problems.empty())) sink->abort();
    if (!status) return std::unexpected(status.error());
    return report;
}

Result<UnverifiedHead> read_head(const std::filesystem::path& bundle)
{
    const detail::ScopedUtf8Locale utf8;
    auto reader = BundleReader::open(bundle);
    if (!reader) return std::unexpected(reader.error());
    auto head = read_head_bytes(*reader);
    if (!head) return fail(ErrorCode::verification, head.error().message);
    auto signatures = parse_signatures(head->signatures_bytes);
    if (!signatures) return std::unexpected(signatures.error());
    auto index = parse_index(head->index_bytes);
    if (!index) return std::unexpected(index.error());
    return UnverifiedHead{std::move(*index), std::move(head->index_bytes), std::move(*signatures)};
}

Result<UnverifiedIndex> read_index(const std::filesystem::path& bundle)
{
    const detail::ScopedUtf8Locale utf8;
    auto reader = BundleReader::open(bundle);
    if (!reader) return std::unexpected(reader.error());
    auto size = open_head_entry(*reader, k_index_path, k_max_index_bytes);
    if (!size) return fail(ErrorCode::verification, size.error().message);
    const IndexTextSource text = [&]() -> Result<std::string_view> {
        auto block = reader->read_block();
        if (!block) return fail(ErrorCode::verification, block.error().message);
        return std::string_view(reinterpret_cast<const char*>(block->data()), block->size());
    };
    auto index = parse_index_stream(text, *size);
    if (!index) return std::unexpected(index.error());
    auto signatures_bytes = read_head_entry(*reader, k_signatures_path, k_max_signatures_bytes);
    if (!signatures_bytes) return fail(ErrorCode::verification, signatures_bytes.error().message);
    auto signatures = parse_signatures(*signatures_bytes);
    if (!signatures) return std::unexpected(signatures.error());
    return UnverifiedIndex{std::move(index->index), std::move(index->sha256), std::move(*signatures)};
}

}  // namespace gapbundle::bundle
