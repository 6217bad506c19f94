#include <gapbundle/ops/pack.hpp>

#include "bundle_index.hpp"
#include "pack_base.hpp"

#include <gapbundle/bundle/sbom.hpp>
#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/bundle/volumes.hpp>
#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/ops/lock.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/interrupt.hpp>

#include <cerrno>
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>

namespace gapbundle::ops {

namespace {

Result<std::vector<crypto::PrivateKey>> load_keys(const std::vector<std::filesystem::path>& paths)
{
    if (paths.empty()) return fail(ErrorCode::usage, "no signing key given (--key FILE.key; make one with gapbundle keygen)");
    std::vector<crypto::PrivateKey> keys;
    for (const auto& path : paths) {
        auto key = crypto::PrivateKey::load_pem_file(path);
        if (!key) return std::unexpected(key.error());
        keys.push_back(std::move(*key));
    }
    return keys;
}

// Streams one artifact into the bundle; the writer checks on its hashing thread that it still
// hashes to what the lock says, and a mismatch comes back from a later call (see explain_mismatch).
Status add_artifact(bundle::BundleWriter& writer, const bundle::Entry& entry, const std::filesystem::path& source,
                    const std::string& origin)
{
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::io, origin + ": " + source.string() + ": cannot open: " + errno_text(errno));
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    const bundle::ByteSource read_chunk = [&](std::span<std::byte> buffer) -> Result<std::size_t> {
        if (auto st = interrupt::check(); !st) return std::unexpected(st.error());
        auto n = fs::read_some(fd.get(), buffer);
        if (!n) return std::unexpected(n.error().context(source.string()));
        return n;
    };
    auto written = writer.add_checked_stream(entry.path, entry.size, entry.mode, read_chunk, entry.sha256);
    if (!written && !writer.hash_mismatch()) {
        Error error = written.error();
        if (error.code == ErrorCode::internal || error.code == ErrorCode::verification) error.code = ErrorCode::download;
        return std::unexpected(error.context(origin + ": " + source.string()));
    }
    return written;
}

// The cache is not fsynced (see Store::adopt): a blob a crash tore is found here, and removed
// so that the next run downloads it again instead of failing the same way.
Status evict_bad_blob(const std::filesystem::path& blob, Error error)
{
    std::error_code ec;
    std::filesystem::remove(blob, ec);
    error.message += ec ? "; delete the cached file and run again"
                        : "; removed it from the cache: run again to download it anew";
    return std::unexpected(std::move(error));
}

// Streams entry `path` from `reader`, which must produce the bytes of `size` and `sha256`.
Status add_generated(bundle::BundleWriter& writer, std::string_view path, std::uint64_t size,
                     const std::string& sha256, bundle::PieceReader& reader)
{
    const bundle::ByteSource read = [&](std::span<std::byte> buffer) -> Result<std::size_t> { return reader.read(buffer); };
    auto written = writer.add_stream(path, size, 0644, read);
    if (!written) return std::unexpected(written.error());
    if (*written != sha256) return fail(ErrorCode::internal, std::string(path) + ": changed while it was written");
    return {};
}

Status write_entries(bundle::BundleWriter& writer, const PlannedBundle& plan, const store::Store& store,
                     PackResult& result)
{
    for (const std::size_t position : bundle::stream_order(plan.index)) {
        const auto& entry = plan.index.entries[position];
        if (entry.type == bundle::EntryType::dir) {
            if (auto st = writer.add_dir(entry.path, entry.mode); !st) return st;
        } else if (entry.type == bundle::EntryType::symlink) {
            if (auto st = writer.add_symlink(entry.path, entry.link_target); !st) return st;
        } else if (entry.path == bundle::k_sums_path) {
            bundle::Sha256SumsReader sums(plan.index.entries);
            if (auto st = add_generated(writer, entry.path, entry.size, entry.sha256, sums); !st) return st;
        } else if (entry.path == bundle::k_sbom_path) {
            bundle::SbomReader sbom(plan.index);
            if (auto st = add_generated(writer, entry.path, entry.size, entry.sha256, sbom); !st) return st;
        } else {
            const auto& from = plan.sources[position];
            if (from.content) {
                if (auto st = writer.add_bytes(entry.path, *from.content, entry.mode); !st) return st;
            } else {
                const auto source = sources::artifact_source_path(plan.source_url(position), entry.sha256, store);
                if (auto st = add_artifact(writer, entry, source, plan.origins[from.origin]); !st) {
                    if (st.error().code == ErrorCode::download && source == store.blob_path(entry.sha256))
                        return evict_bad_blob(source, std::move(st.error()));
                    return st;
                }
            }
            ++result.files;
            result.payload_bytes += entry.size;
        }
    }
    return {};
}

// The writer found, an entry or more later, that an artifact no longer hashes to what the lock
// says: name its source, and evict it if it is a cached blob.
Status explain_mismatch(const bundle::HashMismatch& mismatch, const PlannedBundle& plan, const store::Store& store)
{
    const bundle::Entry* at = bundle::find_entry(plan.index.entries, mismatch.path);
    if (!at) return fail(ErrorCode::internal, mismatch.path + ": changed while it was written");
    const auto position = static_cast<std::size_t>(at - plan.index.entries.data());
    const auto source = sources::artifact_source_path(plan.source_url(position), at->sha256, store);
    Error error{ErrorCode::download, plan.origins[plan.sources[position].origin] + ": " + source.string() +
                                         " changed since it was locked (sha256 " + mismatch.actual + ", lock says " +
                                         mismatch.expected + ")"};
    if (source == store.blob_path(at->sha256)) return evict_bad_blob(source, std::move(error));
    return std::unexpected(std::move(error));
}

struct SignedHead {
    std::uint64_t index_size = 0;
    std::string index_sha256;
    std::vector<bundle::Signature> signatures;
};

Result<SignedHead> sign_head(const bundle::Index& index, const std::vector<crypto::PrivateKey>& keys)
{
    SignedHead head;
    {
        const std::string index_json = bundle::to_canonical_json(index);
        for (const auto& key : keys) {
            auto signature = bundle::sign_index(key, index_json);
            if (!signature) return std::unexpected(signature.error());
            head.signatures.push_back(std::move(*signature));
        }
        head.index_sha256 = crypto::sha256_hex(index_json);
        head.index_size = index_json.size();
    }
    // The text (15 MB for 100,000 files) is freed to the top of the heap, which glibc keeps for
    // later: handed back, so that the payload's buffers do not sit beside it.
    ::malloc_trim(0);
    return head;
}

// The index is written again from plan.index, not from the signed text, which sign_head frees:
// its size and digest must match what was signed.
Status write_head(bundle::BundleWriter& writer, const bundle::Index& index, const SignedHead& head)
{
    bundle::CanonicalIndexReader index_text(index);
    if (auto st = add_generated(writer, bundle::k_index_path, head.index_size, head.index_sha256, index_text); !st)
        return st;
    return writer.add_bytes(bundle::k_signatures_path, bundle::signatures_to_json(head.signatures));
}

void record_head(const SignedHead& head, PackResult& result)
{
    result.index_sha256 = head.index_sha256;
    for (const auto& signature : head.signatures) result.key_ids.push_back(signature.keyid);
}

// One bundle: the signed head first, then every entry. In volumes (--split-size): the entries
// first, into BUNDLE.001…, whose sizes and hashes the index then lists; the head last, as BUNDLE.000.
Status write_bundle(const PackOptions& options, PlannedBundle& plan, const std::vector<crypto::PrivateKey>& keys,
                    const store::Store& store, time::Seconds created, PackResult& result)
{
    bundle::WriterOptions writer_options;
    writer_options.compression = options.compression.value_or(bundle::compression_for_output(options.output));
    writer_options.mtime = created;
    writer_options.split_size = options.split_size.value_or(0);
    auto writer = bundle::BundleWriter::create(options.output, writer_options);
    if (!writer) return std::unexpected(writer.error());
    const auto write_payload = [&]() -> Status {
        if (auto st = write_entries(*writer, plan, store, result); !st) {
            if (const auto& mismatch = writer->hash_mismatch()) return explain_mismatch(*mismatch, plan, store);
            return st;
        }
        return {};
    };
    if (!options.split_size) {
        auto head = sign_head(plan.index, keys);
        if (!head) return std::unexpected(head.error());
        record_head(*head, result);
        if (auto st = write_head(*writer, plan.index, *head); !st) return st;
        if (auto st = write_payload(); !st) return st;
    } else {
        if (auto st = write_payload(); !st) return st;
        auto volumes = writer->begin_head();
        if (!volumes) {
            if (const auto& mismatch = writer->hash_mismatch()) return explain_mismatch(*mismatch, plan, store);
            return std::unexpected(volumes.error());
        }
        plan.index.volumes = std::move(*volumes);
        auto head = sign_head(plan.index, keys);
        if (!head) return std::unexpected(head.error());
        record_head(*head, result);
        if (auto st = write_head(*writer, plan.index, *head); !st) return st;
        result.volumes = plan.index.volumes;
    }
    if (auto st = writer->commit(); !st) {
        if (const auto& mismatch = writer->hash_mismatch()) return explain_mismatch(*mismatch, plan, store);
        return st;
    }
    result.bundle_bytes = writer->bytes_written();
    return {};
}

}  // namespace

Result<PackResult> pack(const PackOptions& options)
{
    auto keys = load_keys(options.keys);
    if (!keys) return std::unexpected(keys.error());
    std::optional<PackBase> base;
    if (options.base) {
        auto loaded = load_pack_base(*options.base);
        if (!loaded) return std::unexpected(loaded.error());
        base = std::move(*loaded);
    }
    auto created = time::build_time();
    if (!created) return std::unexpected(created.error());
    auto fetched = fetch({options.manifest, options.lock, options.cache_dir, options.engine, options.progress});
    if (!fetched) return std::unexpected(fetched.error());
    PackResult result;
    result.fetch = fetched->fetch;

    // Resolving a big folder leaves its scratch (file lists, digest records) scattered through the
    // heap, and planning its artifacts' copies: hand those pages back before the next step.
    ::malloc_trim(0);
    auto plan = plan_bundle(fetched->manifest, std::move(fetched->lock), *created);
    if (!plan) return std::unexpected(plan.error());
    if (base) {
        if (auto st = apply_pack_base(plan->index, *base, *options.base); !st) return std::unexpected(st.error());
        base.reset();
        result.base_serial = plan->index.base->serial;
        for (const auto& entry : plan->index.entries) result.files_from_base += entry.from_base() ? 1 : 0;
    }
    ::malloc_trim(0);
    // The gap side refuses such a bundle whoever signed it: refused here before anything is written.
    if (const auto pairs = bundle::case_collisions(plan->index.entries, 1); !pairs.empty())
        return fail(ErrorCode::manifest, pairs[0].second + " and " + pairs[0].first +
                                             " differ only in letter case; gapbundle unpack refuses such a bundle");
    if (auto st = write_bundle(options, *plan, *keys, *fetched->store, *created, result); !st)
        return std::unexpected(st.error());

    result.output = options.split_size ? bundle::volume_path(options.output, 0) : options.output;
    result.name = plan->index.name;
    result.channel = bundle::channel_of(plan->index);
    result.entries = plan->index.entries.size();
    result.serial = plan->index.serial;
    result.created = plan->index.created;
    return result;
}

}  // namespace gapbundle::ops
