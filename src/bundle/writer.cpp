// BundleWriter: a reproducible pax tar (optionally zstd) written to an AtomicFile.

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/volumes.hpp>
#include <gapbundle/bundle/writer.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/fs.hpp>

#include "archive_handles.hpp"
#include "aside_hasher.hpp"
#include "block_queue.hpp"
#include "output_files.hpp"
#include "zstd_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <vector>

namespace gapbundle::bundle {

namespace {

inline constexpr std::size_t k_chunk_bytes = 256 << 10;  // what add_stream pulls from a ByteSource

// One zstd worker unless asked otherwise: it compresses while the packing thread reads, hashes
// and tars, which on 2 cores beat two workers competing with that thread.
int zstd_workers(int requested)
{
    return requested > 0 ? requested : 1;
}

// Volumes numbered from `first` left by an earlier pack into more volumes: they are not part of
// this bundle, and copied along with it they would only mislead.
void remove_stale_volumes(const std::filesystem::path& bundle, std::size_t first)
{
    for (std::size_t number = first; number <= k_max_volumes; ++number) {
        std::error_code ec;
        if (!std::filesystem::remove(volume_path(bundle, number), ec)) break;
    }
}

}  // namespace

struct BundleWriter::Impl {
    detail::OutputFiles out;                    // the bundle, or its payload volumes when split
    std::optional<detail::OutputFiles> head_out;  // split: BUNDLE.000, after begin_head()
    std::optional<detail::ZstdStream> zstd;     // between libarchive and the output, when compressing
    std::unique_ptr<detail::BlockQueue> blocks;  // to the output on a thread of its own, when not
    detail::AsideHasher aside_hash;  // on a second thread: add_stream's big entries, every add_checked_stream
    detail::UniqueArchiveWrite archive;      // declared after the outputs and `zstd`: freed first
    WriterOptions options;
    std::vector<std::byte> buffer;
    std::uint64_t bytes_before = 0;  // what earlier archives (the payload, before the head) wrote
    std::uint64_t bytes = 0;         // after commit: the total
    bool broken = false;
    bool committed = false;
    // The head of a split bundle ends without the end-of-archive marker: the payload volumes,
    // which follow it in the stream, end with theirs.
    bool dropping_end = false;
    // The first failure writing the file (a full disk): libarchive does not always pass on the
    // failure of the last block, flushed while it closes, so commit() checks this too.
    std::optional<Error> output_error;

    detail::OutputFiles& target() { return head_out ? *head_out : out; }

    Status open_archive(bool queue_blocks)
    {
        archive.reset(archive_write_new());
        struct archive* a = archive.get();
        const auto failed = [&](std::string_view what) {
            return fail(ErrorCode::io, target().name().string() + ": " + std::string(what) + ": " +
                                           detail::archive_error_text(a));
        };
        if (!a) return fail(ErrorCode::internal, "archive_write_new failed");
        if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK) return failed("pax format");
        const auto sink = [this](std::span<const std::byte> block) { return target().write(block); };
        if (options.compression == Compression::zstd) {
            auto stream = detail::ZstdStream::open(sink, options.zstd_level, zstd_workers(options.threads));
            if (!stream) return std::unexpected(stream.error().context(target().name().string()));
            zstd.emplace(std::move(*stream));
        } else if (queue_blocks) {
            blocks = std::make_unique<detail::BlockQueue>(sink, detail::k_blocks_in_flight);
        }
        // No blocking in libarchive: it hands each header and each chunk of data straight to
        // write_block, which gathers them into the queue's (or zstd's) buffers; libarchive's own
        // block would be one more copy of every byte. Nothing pads the end either.
        if (archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK) return failed("block size");
        if (archive_write_open2(a, this, nullptr, &Impl::write_block, &Impl::end_stream, nullptr) != ARCHIVE_OK)
            return failed("cannot start the archive");
        return {};
    }

    // Ends the current archive: its end-of-archive marker (unless `drop_end`), its zstd frame,
    // every queued block written.
    Status close_archive(bool drop_end)
    {
        if (auto st = aside_hash.drain(); !st) {
            broken = true;
            return st;
        }
        const detail::ScopedUtf8Locale utf8;
        if (drop_end) {
            // The last entry's padding is written; what the close adds is the marker alone.
            if (archive_write_finish_entry(archive.get()) != ARCHIVE_OK)
                return fail_here("(end)", "cannot finish the last entry");
            dropping_end = true;
        }
        if (archive_write_close(archive.get()) != ARCHIVE_OK) return fail_here("(end)", "cannot finish");
        if (output_error) {
            broken = true;
            return std::unexpected(output_error->context(target().name().string()));
        }
        bytes_before += archive_bytes();
        archive.reset();
        zstd.reset();
        blocks.reset();
        return {};
    }

    std::uint64_t archive_bytes() const
    {
        if (zstd) return zstd->bytes_out();
        return static_cast<std::uint64_t>(archive_filter_bytes(archive.get(), -1));
    }

    Status fail_here(std::string_view path, std::string_view what)
    {
        broken = true;
        return fail(ErrorCode::io, target().name().string() + ": " + std::string(path) + ": " + std::string(what) + ": " +
                                       detail::archive_error_text(archive.get()));
    }

    Status usable(std::string_view path)
    {
        if (committed) return fail(ErrorCode::internal, target().name().string() + ": write after commit");
        if (auto st = aside_hash.status(); !st) {
            broken = true;
            return st;  // an earlier entry did not hash to what was expected
        }
        if (broken) return fail(ErrorCode::io, target().name().string() + ": an earlier write failed");
        return fs::check_relative_path(path);
    }

    Status header(std::string_view path, unsigned type, std::uint32_t mode, std::uint64_t size, std::string_view link)
    {
        const detail::ScopedUtf8Locale utf8;
        if (auto st = usable(path); !st) return st;
        detail::UniqueArchiveEntry entry(archive_entry_new());
        const std::string name(path);
        archive_entry_update_pathname_utf8(entry.get(), name.c_str());
        archive_entry_set_filetype(entry.get(), type);
        archive_entry_set_perm(entry.get(), static_cast<mode_t>(mode));
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        archive_entry_set_mtime(entry.get(), options.mtime, 0);
        archive_entry_set_uid(entry.get(), 0);
        archive_entry_set_gid(entry.get(), 0);
        if (type == AE_IFLNK) archive_entry_update_symlink_utf8(entry.get(), std::string(link).c_str());
        if (archive_write_header(archive.get(), entry.get()) != ARCHIVE_OK) return fail_here(path, "cannot write header");
        return {};
    }

    // libarchive's output, block by block: compressed, or straight to the file.
    static la_ssize_t write_block(struct archive* a, void* client, const void* buffer, std::size_t length)
    {
        auto& self = *static_cast<Impl*>(client);
        const auto block = std::span(static_cast<const std::byte*>(buffer), length);
        if (self.dropping_end) {
            if (std::ranges::any_of(block, [](std::byte b) { return b != std::byte{0}; })) {
                archive_set_error(a, EIO, "%s", "bytes other than the end-of-archive marker after the head");
                return -1;
            }
            return static_cast<la_ssize_t>(length);
        }
        const Status st = self.zstd     ? self.zstd->write(block)
                          : self.blocks ? self.blocks->append(block)
                                        : self.target().write(block);
        if (!st) {
            if (!self.output_error) self.output_error = st.error();
            archive_set_error(a, EIO, "%s", st.error().message.c_str());
            return -1;
        }
        return static_cast<la_ssize_t>(length);
    }

    static int end_stream(struct archive* a, void* client)
    {
        auto& self = *static_cast<Impl*>(client);
        if (auto st = self.zstd ? self.zstd->finish() : self.blocks ? self.blocks->finish() : Status{}; !st) {
            if (!self.output_error) self.output_error = st.error();
            archive_set_error(a, EIO, "%s", st.error().message.c_str());
            return ARCHIVE_FATAL;
        }
        return ARCHIVE_OK;
    }

    // Writes an entry of exactly `size` bytes from `source`, hashed into `inline_hash`, or by
    // aside_hash when it is null.
    Status stream(std::string_view path, std::uint64_t size, std::uint32_t mode, const ByteSource& source,
                  crypto::Sha256* inline_hash)
    {
        if (mode != 0644 && mode != 0755) return fail(ErrorCode::internal, std::string(path) + ": mode must be 0644 or 0755");
        if (auto st = header(path, AE_IFREG, mode, size, {}); !st) return st;
        std::uint64_t total = 0;
        const auto short_or_long = [&](std::string_view what) {
            broken = true;
            return fail(ErrorCode::verification, std::string(path) + ": source " + std::string(what) + " (expected " +
                                                     std::to_string(size) + " bytes)");
        };
        for (;;) {
            // Hashed aside, the bytes are read straight into the block the hashing thread takes
            // next: one copy of every byte fewer than reading into `buffer` and handing it over.
            std::span<std::byte> into = buffer;
            if (!inline_hash) {
                auto space = aside_hash.space();
                if (!space) {
                    broken = true;
                    return std::unexpected(space.error());
                }
                into = *space;
            }
            // At the declared size, ask for one more byte: the source must be at its end.
            const std::size_t want = total == size ? 1 : static_cast<std::size_t>(std::min<std::uint64_t>(size - total, into.size()));
            auto n = source(into.first(want));
            if (!n) {
                broken = true;
                return std::unexpected(n.error());
            }
            if (*n == 0) break;
            if (total == size || *n > want) return short_or_long("has more bytes");
            const auto chunk = std::span<const std::byte>(into).first(*n);
            if (inline_hash) inline_hash->update(chunk);
            if (auto st = data(path, chunk); !st) return st;
            // Only now: a full block is handed to the hashing thread, and `into` is no longer ours.
            if (!inline_hash)
                if (auto st = aside_hash.commit(*n); !st) {
                    broken = true;
                    return st;
                }
            total += *n;
        }
        if (total != size) return short_or_long("ended after " + std::to_string(total) + " bytes");
        return {};
    }

    Status data(std::string_view path, std::span<const std::byte> chunk)
    {
        const detail::ScopedUtf8Locale utf8;
        const auto n = archive_write_data(archive.get(), chunk.data(), chunk.size());
        if (n < 0 || static_cast<std::size_t>(n) != chunk.size()) return fail_here(path, "cannot write data");
        return {};
    }
};

Result<BundleWriter> BundleWriter::create(const std::filesystem::path& path, const WriterOptions& options)
{
    const detail::ScopedUtf8Locale utf8;
    std::optional<detail::OutputFiles> out;
    if (options.split_size > 0) {
        if (options.split_size < k_min_split_size)
            return fail(ErrorCode::usage, path.string() + ": volumes must be at least " +
                                              std::to_string(k_min_split_size) + " bytes");
        out = detail::OutputFiles::volumes(path, options.split_size);
    } else {
        auto file = detail::OutputFiles::single(path);
        if (!file) return std::unexpected(file.error());
        out = std::move(*file);
    }
    auto impl = std::make_unique<Impl>(Impl{std::move(*out), std::nullopt, std::nullopt, nullptr,
                                            detail::AsideHasher{}, detail::UniqueArchiveWrite(), options,
                                            std::vector<std::byte>(k_chunk_bytes), 0, 0, false, false, false,
                                            std::nullopt});
    // The Impl is on the heap: the archive's client pointer stays valid when the writer moves.
    if (auto st = impl->open_archive(true); !st) return std::unexpected(st.error());
    return BundleWriter(std::move(impl));
}

BundleWriter::BundleWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
BundleWriter::BundleWriter(BundleWriter&&) noexcept = default;
BundleWriter& BundleWriter::operator=(BundleWriter&&) noexcept = default;
BundleWriter::~BundleWriter() = default;

Status BundleWriter::add_bytes(std::string_view path, std::string_view data, std::uint32_t mode)
{
    if (mode != 0644 && mode != 0755) return fail(ErrorCode::internal, std::string(path) + ": mode must be 0644 or 0755");
    if (auto st = m_impl->header(path, AE_IFREG, mode, data.size(), {}); !st) return st;
    return m_impl->data(path, std::as_bytes(std::span(data.data(), data.size())));
}

Result<std::string> BundleWriter::add_stream(std::string_view path, std::uint64_t size, std::uint32_t mode,
                                             const ByteSource& source)
{
    // Entries of a few blocks are hashed here; bigger ones by a second thread while this one reads
    // and writes (a pack's hash of every byte then costs no time on 2 cores).
    const bool hash_aside = detail::AsideHasher::worth_it(size);
    crypto::Sha256 inline_hash;
    if (auto st = m_impl->stream(path, size, mode, source, hash_aside ? nullptr : &inline_hash); !st)
        return std::unexpected(st.error());
    // After an error the writer is broken and refuses further entries, so a half-fed hash is never reused.
    return hash_aside ? m_impl->aside_hash.finish() : inline_hash.finish_hex();
}

Status BundleWriter::add_checked_stream(std::string_view path, std::uint64_t size, std::uint32_t mode,
                                        const ByteSource& source, std::string_view sha256)
{
    if (auto st = m_impl->stream(path, size, mode, source, nullptr); !st) return st;
    if (auto st = m_impl->aside_hash.expect(std::string(path), std::string(sha256)); !st) {
        m_impl->broken = true;
        return st;
    }
    return {};
}

const std::optional<HashMismatch>& BundleWriter::hash_mismatch() const
{
    return m_impl->aside_hash.mismatch();
}

Status BundleWriter::add_dir(std::string_view path, std::uint32_t mode)
{
    if (mode != 0755) return fail(ErrorCode::internal, std::string(path) + ": folder mode must be 0755");
    return m_impl->header(path, AE_IFDIR, mode, 0, {});
}

Status BundleWriter::add_symlink(std::string_view path, std::string_view target)
{
    if (auto st = check_symlink_target(path, target); !st) return st;
    return m_impl->header(path, AE_IFLNK, 0777, 0, target);
}

Result<std::vector<Volume>> BundleWriter::begin_head()
{
    if (m_impl->options.split_size == 0 || m_impl->head_out)
        return fail(ErrorCode::internal, m_impl->out.name().string() + ": begin_head is for a bundle in volumes, once");
    if (auto st = m_impl->usable("gapbundle"); !st) return std::unexpected(st.error());
    if (auto st = m_impl->close_archive(false); !st) return std::unexpected(st.error());
    auto volumes = m_impl->out.finish_volumes();
    if (volumes.empty()) return fail(ErrorCode::internal, m_impl->out.name().string() + ": no payload was written");
    auto head = detail::OutputFiles::single(volume_path(m_impl->out.name(), 0));
    if (!head) {
        m_impl->broken = true;
        return std::unexpected(head.error());
    }
    m_impl->head_out = std::move(*head);
    // The head is a few blocks: written as it comes, without a queue.
    if (auto st = m_impl->open_archive(false); !st) {
        m_impl->broken = true;
        return std::unexpected(st.error());
    }
    return volumes;
}

Status BundleWriter::commit()
{
    if (auto st = m_impl->usable("gapbundle"); !st) return st;
    if (m_impl->options.split_size > 0 && !m_impl->head_out)
        return fail(ErrorCode::internal, m_impl->out.name().string() + ": a bundle in volumes needs its head (begin_head)");
    if (auto st = m_impl->close_archive(m_impl->head_out.has_value()); !st) return st;
    m_impl->bytes = m_impl->bytes_before;
    // The head last: a set of volumes is usable once its first volume is there.
    if (auto st = m_impl->out.commit(); !st) return st;
    if (m_impl->head_out) {
        if (auto st = m_impl->head_out->commit(); !st) return st;
        remove_stale_volumes(m_impl->out.name(), m_impl->out.finish_volumes().size() + 1);
    }
    m_impl->committed = true;
    return {};
}

std::uint64_t BundleWriter::bytes_written() const
{
    if (!m_impl->archive) return m_impl->bytes;
    return m_impl->bytes_before + m_impl->archive_bytes();
}

Compression compression_for_output(const std::filesystem::path& path)
{
    const auto ext = path.extension().string();
    return ext == ".zst" || ext == ".tzst" ? Compression::zstd : Compression::none;
}

}  // namespace gapbundle::bundle
