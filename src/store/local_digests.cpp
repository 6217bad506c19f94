#include <gapbundle/store/local_digests.hpp>

#include <gapbundle/util/text.hpp>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <sys/stat.h>

namespace gapbundle::store {

namespace {

constexpr std::int64_t k_racy_ns = 2'000'000'000;
constexpr std::size_t k_write_piece = 64 << 10;

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

void LocalDigests::LineFree::operator()(char* line) const noexcept
{
    std::free(line);
}

Result<LocalDigests> LocalDigests::open(const Store& store, const std::filesystem::path& entry)
{
    const auto path = store.root() / "local" / crypto::sha256_hex(entry.string());
    if (auto st = fs::create_directories(path.parent_path()); !st) return std::unexpected(st.error());
    auto out = fs::AtomicFile::create(path, 0644);
    if (!out) return std::unexpected(out.error());
    return LocalDigests(std::move(*out), UniqueFile(std::fopen(path.c_str(), "re")));
}

std::optional<LocalDigests::Record> LocalDigests::read_record()
{
    char* raw = m_line.release();
    const ssize_t length = m_in ? ::getline(&raw, &m_line_capacity, m_in.get()) : -1;
    m_line.reset(raw);
    if (length <= 0) return std::nullopt;
    std::string_view line(raw, static_cast<std::size_t>(length));
    if (line.back() == '\n') line.remove_suffix(1);
    // "sha256 size dev ino mtime_ns ctime_ns path"
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
    if (n != 6 || !text::is_sha256_hex(fields[0]) || !text::from_hex(fields[0], r.sha256) ||
        !parse_number(fields[1], r.size) || !parse_number(fields[2], r.dev) || !parse_number(fields[3], r.ino) ||
        !parse_number(fields[4], r.mtime_ns) || !parse_number(fields[5], r.ctime_ns) || fields[6].empty())
        return std::nullopt;
    r.path = std::string(fields[6]);
    r.line.assign(raw, static_cast<std::size_t>(length) - (raw[length - 1] == '\n' ? 1 : 0));
    return r;
}

// Reads on while the old records come before `path` (files not asked for this time: dropped).
const LocalDigests::Record* LocalDigests::record_for(const std::string& path)
{
    while (m_in || m_pending) {
        if (!m_pending && !read_next()) return nullptr;
        if (m_pending->path > path) return nullptr;
        if (m_pending->path == path) return &*m_pending;
        m_pending.reset();
        m_changed = true;
    }
    return nullptr;
}

bool LocalDigests::read_next()
{
    m_pending = read_record();
    const bool damaged = m_pending ? m_pending->path <= m_last_read : !std::feof(m_in.get());
    if (damaged || !m_pending) {
        m_changed = m_changed || damaged;  // then trust none of what follows, and write it anew
        m_pending.reset();
        m_in.reset();
        return false;
    }
    m_last_read = m_pending->path;
    return true;
}

Status LocalDigests::write_record(const Record& r)
{
    if (!r.line.empty()) {
        m_buffer += r.line;
        m_buffer += '\n';
    } else {
        m_buffer += text::to_hex(r.sha256) + " " + std::to_string(r.size) + " " + std::to_string(r.dev) + " " +
                    std::to_string(r.ino) + " " + std::to_string(r.mtime_ns) + " " + std::to_string(r.ctime_ns) + " " +
                    r.path + "\n";
    }
    m_last_written = r.path;
    if (m_buffer.size() < k_write_piece) return {};
    auto st = m_out.write(m_buffer);
    m_buffer.clear();
    return st;
}

Result<crypto::FileDigest> LocalDigests::digest(const std::filesystem::path& file)
{
    struct stat now{};
    if (::stat(file.c_str(), &now) != 0) return fail(ErrorCode::io, file.string() + ": " + errno_text(errno));
    return digest(file, now);
}

Result<crypto::FileDigest> LocalDigests::digest(const std::filesystem::path& file, const struct stat& before)
{
    const std::string key = file.string();
    const bool in_order = key > m_last_written;
    Record now{key, {}, static_cast<std::uint64_t>(before.st_size), static_cast<std::uint64_t>(before.st_dev),
               static_cast<std::uint64_t>(before.st_ino), nanoseconds(before.st_mtim), nanoseconds(before.st_ctim), {}};
    const Record* known = in_order ? record_for(key) : nullptr;
    if (known && known->size == now.size && known->dev == now.dev && known->ino == now.ino &&
        known->mtime_ns == now.mtime_ns && known->ctime_ns == now.ctime_ns) {
        crypto::FileDigest digest{text::to_hex(known->sha256), known->size};
        if (auto st = write_record(*known); !st) return std::unexpected(st.error());
        m_pending.reset();
        return digest;
    }
    if (known) {
        m_pending.reset();  // stale
        m_changed = true;
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
    if (in_order && unchanged && settled && key.find('\n') == std::string::npos &&
        text::from_hex(digest->sha256, now.sha256)) {
        m_changed = true;
        if (auto st = write_record(now); !st) return std::unexpected(st.error());
    }
    return digest;
}

Status LocalDigests::save()
{
    // Records left after the last file asked for belong to files gone from the entry.
    if (m_pending || (m_in && read_next())) m_changed = true;
    m_pending.reset();
    m_in.reset();
    if (!m_changed) return {};  // the temp file goes with m_out
    if (auto st = m_out.write(m_buffer); !st) return st;
    m_buffer.clear();
    return m_out.commit(fs::AtomicFile::Sync::rename_only);  // a cache: see Store::adopt
}

}  // namespace gapbundle::store
