#include <gapbundle/store/local_digests.hpp>

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <charconv>
#include <ctime>
#include <sys/stat.h>

namespace gapbundle::store {

namespace {

constexpr std::int64_t k_racy_ns = 2'000'000'000;

std::int64_t nanoseconds(const timespec& t)
{
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

template <typename T>
bool parse_number(std::string_view s, T& out)
{
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

LocalDigests LocalDigests::load(const Store& store, const std::filesystem::path& entry)
{
    auto path = store.root() / "local" / crypto::sha256_hex(entry.string());
    std::map<std::string, Record> known;
    auto content = fs::read_small_file(path, 256ull << 20);
    if (!content) return LocalDigests(std::move(path), {});
    // "sha256 size dev ino mtime_ns ctime_ns path\n"
    for (std::string_view line : text::split(*content, '\n')) {
        if (line.empty()) continue;
        std::string_view fields[7];
        std::size_t n = 0;
        while (n < 6) {
            const auto space = line.find(' ');
            if (space == std::string_view::npos) break;
            fields[n++] = line.substr(0, space);
            line.remove_prefix(space + 1);
        }
        fields[6] = line;
        Record r;
        if (n != 6 || !text::is_sha256_hex(fields[0]) || !parse_number(fields[1], r.size) ||
            !parse_number(fields[2], r.dev) || !parse_number(fields[3], r.ino) ||
            !parse_number(fields[4], r.mtime_ns) || !parse_number(fields[5], r.ctime_ns) || fields[6].empty())
            return LocalDigests(std::move(path), {});  // damaged: trust none of it
        r.sha256 = std::string(fields[0]);
        known.emplace(std::string(fields[6]), std::move(r));
    }
    return LocalDigests(std::move(path), std::move(known));
}

Result<crypto::FileDigest> LocalDigests::digest(const std::filesystem::path& file)
{
    const std::string key = file.string();
    struct stat before{};
    if (::stat(file.c_str(), &before) != 0) return fail(ErrorCode::io, key + ": " + errno_text(errno));
    Record now{"", static_cast<std::uint64_t>(before.st_size), static_cast<std::uint64_t>(before.st_dev),
               static_cast<std::uint64_t>(before.st_ino), nanoseconds(before.st_mtim), nanoseconds(before.st_ctim),
               false};
    const auto known = m_known.find(key);
    if (known != m_known.end()) {
        Record& r = known->second;
        if (r.size == now.size && r.dev == now.dev && r.ino == now.ino && r.mtime_ns == now.mtime_ns &&
            r.ctime_ns == now.ctime_ns) {
            m_seen += r.seen ? 0 : 1;
            r.seen = true;
            return crypto::FileDigest{r.sha256, r.size};
        }
    }
    auto digest = crypto::sha256_file(file);
    if (!digest) return digest;
    ++m_hashed;
    struct stat after{};
    timespec clock{};
    ::clock_gettime(CLOCK_REALTIME, &clock);
    const bool unchanged = ::stat(file.c_str(), &after) == 0 && nanoseconds(after.st_ctim) == now.ctime_ns &&
                           static_cast<std::uint64_t>(after.st_size) == digest->size;
    const bool settled = nanoseconds(clock) - std::max(now.mtime_ns, now.ctime_ns) >= k_racy_ns;
    if (unchanged && settled && key.find('\n') == std::string::npos) {
        now.sha256 = digest->sha256;
        now.seen = true;
        const bool counted = known != m_known.end() && known->second.seen;
        m_seen += counted ? 0 : 1;
        m_known.insert_or_assign(key, std::move(now));
    } else if (known != m_known.end()) {
        m_seen -= known->second.seen ? 1 : 0;
        m_known.erase(known);  // stale, and not recordable now
    }
    return digest;
}

Status LocalDigests::save() const
{
    if (m_hashed == 0 && m_seen == m_known.size()) return {};
    std::string out;
    for (const auto& [file, r] : m_known) {
        if (!r.seen) continue;
        out += r.sha256 + " " + std::to_string(r.size) + " " + std::to_string(r.dev) + " " + std::to_string(r.ino) +
               " " + std::to_string(r.mtime_ns) + " " + std::to_string(r.ctime_ns) + " " + file + "\n";
    }
    if (auto st = fs::create_directories(m_path.parent_path()); !st) return st;
    return fs::write_file_atomic(m_path, out, 0644, fs::AtomicFile::Sync::rename_only);  // a cache: see Store::adopt
}

}  // namespace gapbundle::store
