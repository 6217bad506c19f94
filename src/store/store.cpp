#include <gapbundle/store/store.hpp>

#include <gapbundle/crypto/sha256.hpp>

#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <pwd.h>
#include <random>
#include <unistd.h>

namespace gapbundle::store {

namespace stdfs = std::filesystem;

namespace {

stdfs::path blobs_dir(const stdfs::path& root) { return root / "blobs" / "sha256"; }

// Keeps a hint readable in a file name: its last path component, [A-Za-z0-9._-], at most 48 characters.
std::string file_name_safe(std::string_view hint)
{
    if (const auto slash = hint.rfind('/'); slash != std::string_view::npos) hint.remove_prefix(slash + 1);
    std::string out;
    for (char c : hint.substr(0, 48)) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '.' || c == '_' || c == '-';
        out += keep ? c : '_';
    }
    return out.empty() ? std::string("blob") : out;
}

std::string random_hex()
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(rng()));
    return buffer;
}

}  // namespace

Result<Store> Store::open(const stdfs::path& root)
{
    for (const stdfs::path& dir : {blobs_dir(root), root / "tmp"}) {
        if (auto ok = fs::create_directories(dir); !ok)
            return fail(ErrorCode::io, "cannot open cache " + root.string() + ": " + ok.error().message);
        if (::access(dir.c_str(), W_OK) != 0)
            return fail(ErrorCode::io, "cannot open cache " + root.string() + ": " + dir.string() +
                                           ": not writable: " + errno_text(errno));
    }
    return Store(root);
}

bool Store::contains(std::string_view sha256) const
{
    if (!text::is_sha256_hex(sha256)) return false;
    std::error_code ec;
    return stdfs::is_regular_file(blob_path(sha256), ec);
}

stdfs::path Store::blob_path(std::string_view sha256) const
{
    return blobs_dir(m_root) / std::string(sha256);
}

stdfs::path Store::temp_path(std::string_view hint) const
{
    static std::atomic<std::uint64_t> counter{0};
    return m_root / "tmp" /
           (file_name_safe(hint) + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "." +
            random_hex() + ".part");
}

Status Store::adopt(const stdfs::path& temp, std::string_view sha256)
{
    if (!text::is_sha256_hex(sha256))
        return fail(ErrorCode::internal, "cannot adopt " + temp.string() + ": not a sha256: '" + std::string(sha256) + "'");
    // No fsync: the cache is rebuilt by downloading, and every use hashes a blob again (pack
    // checks each against the lock as it writes the bundle), so a blob torn by a crash is caught
    // there. Waiting for the disk here made a 1 GiB download take twice as long.
    const stdfs::path target = blob_path(sha256);
    if (std::rename(temp.c_str(), target.c_str()) != 0)
        return fail(ErrorCode::io, "cannot move " + temp.string() + " to " + target.string() + ": " + errno_text(errno));
    return {};
}

Result<std::string> Store::put(std::string_view bytes)
{
    std::string sha256 = crypto::sha256_hex(bytes);
    if (contains(sha256)) return sha256;
    const stdfs::path temp = temp_path(sha256);
    if (auto ok = fs::write_file_atomic(temp, bytes, 0644, fs::AtomicFile::Sync::rename_only); !ok)
        return std::unexpected(ok.error());
    if (auto ok = adopt(temp, sha256); !ok) return std::unexpected(ok.error());
    return sha256;
}

Result<std::string> Store::read_small(std::string_view sha256, std::uint64_t max_bytes) const
{
    auto bytes = fs::read_small_file(blob_path(sha256), max_bytes);
    if (!bytes) return bytes;
    if (crypto::sha256_hex(*bytes) != sha256)
        return fail(ErrorCode::io, blob_path(sha256).string() + ": the cached blob no longer matches its sha256; delete it");
    return bytes;
}

stdfs::path default_cache_dir()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return stdfs::path(xdg) / "gapbundle";
    const char* home = std::getenv("HOME");
    if (!home || !*home) {
        const passwd* pw = ::getpwuid(::getuid());
        home = pw && pw->pw_dir ? pw->pw_dir : "/tmp";
    }
    return stdfs::path(home) / ".cache" / "gapbundle";
}

}  // namespace gapbundle::store
