#include <gapbundle/ops/pack.hpp>

#include "bundle_index.hpp"

#include <gapbundle/bundle/signatures.hpp>
#include <gapbundle/crypto/keys.hpp>
#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/ops/lock.hpp>
#include <gapbundle/util/file_handles.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/interrupt.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
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

// Streams one artifact into the bundle, checking it still hashes to what the lock says.
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
    auto written = writer.add_stream(entry.path, entry.size, entry.mode, read_chunk);
    if (!written) {
        Error error = written.error();
        if (error.code == ErrorCode::internal || error.code == ErrorCode::verification) error.code = ErrorCode::download;
        return std::unexpected(error.context(origin + ": " + source.string()));
    }
    if (*written != entry.sha256)
        return fail(ErrorCode::download, origin + ": " + source.string() + " changed since it was locked (sha256 " +
                                             *written + ", lock says " + entry.sha256 + ")");
    return {};
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

Status write_bundle(const PackOptions& options, const PlannedBundle& plan, const std::string& index_json,
                    const std::vector<bundle::Signature>& signatures, const manifest::Lock& lock,
                    const store::Store& store, time::Seconds created, PackResult& result)
{
    bundle::WriterOptions writer_options;
    writer_options.compression = options.compression.value_or(bundle::compression_for_output(options.output));
    writer_options.mtime = created;
    auto writer = bundle::BundleWriter::create(options.output, writer_options);
    if (!writer) return std::unexpected(writer.error());
    if (auto st = writer->add_bytes(bundle::k_index_path, index_json); !st) return st;
    if (auto st = writer->add_bytes(bundle::k_signatures_path, bundle::signatures_to_json(signatures)); !st) return st;
    for (const std::size_t position : bundle::stream_order(plan.index)) {
        const auto& entry = plan.index.entries[position];
        if (entry.type == bundle::EntryType::dir) {
            if (auto st = writer->add_dir(entry.path, entry.mode); !st) return st;
        } else if (entry.type == bundle::EntryType::symlink) {
            if (auto st = writer->add_symlink(entry.path, entry.link_target); !st) return st;
        } else if (entry.path == bundle::k_sums_path) {
            bundle::Sha256SumsReader sums(plan.index.entries);
            const bundle::ByteSource read_sums = [&](std::span<std::byte> buffer) -> Result<std::size_t> {
                return sums.read(buffer);
            };
            auto written = writer->add_stream(entry.path, entry.size, entry.mode, read_sums);
            if (!written) return std::unexpected(written.error());
            if (*written != entry.sha256) return fail(ErrorCode::internal, entry.path + ": changed while it was written");
        } else {
            const auto found = std::ranges::lower_bound(lock.artifacts, entry.path, {}, &manifest::LockedArtifact::bundle_path);
            if (found == lock.artifacts.end() || found->bundle_path != entry.path)
                return fail(ErrorCode::internal, entry.path + ": in the index but not in the lock");
            const auto& artifact = *found;
            if (artifact.content) {
                if (auto st = writer->add_bytes(entry.path, *artifact.content, entry.mode); !st) return st;
            } else {
                const auto source = sources::artifact_source_path(artifact, store);
                if (auto st = add_artifact(*writer, entry, source, artifact.origin); !st) {
                    if (st.error().code == ErrorCode::download && source == store.blob_path(entry.sha256))
                        return evict_bad_blob(source, std::move(st.error()));
                    return st;
                }
            }
            ++result.files;
            result.payload_bytes += entry.size;
        }
    }
    if (auto st = writer->commit(); !st) return st;
    result.bundle_bytes = writer->bytes_written();
    return {};
}

}  // namespace

Result<PackResult> pack(const PackOptions& options)
{
    auto keys = load_keys(options.keys);
    if (!keys) return std::unexpected(keys.error());
    auto created = time::build_time();
    if (!created) return std::unexpected(created.error());
    auto fetched = fetch({options.manifest, options.lock, options.cache_dir, options.engine, options.progress});
    if (!fetched) return std::unexpected(fetched.error());
    const auto& lock = fetched->lock;
    PackResult result;
    result.fetch = fetched->fetch;

    auto plan = plan_bundle(fetched->manifest, lock, *created);
    if (!plan) return std::unexpected(plan.error());
    const std::string index_json = bundle::to_canonical_json(plan->index);
    std::vector<bundle::Signature> signatures;
    for (const auto& key : *keys) {
        auto signature = bundle::sign_index(key, index_json);
        if (!signature) return std::unexpected(signature.error());
        result.key_ids.push_back(signature->keyid);
        signatures.push_back(std::move(*signature));
    }
    if (auto st = write_bundle(options, *plan, index_json, signatures, lock, *fetched->store, *created, result); !st)
        return std::unexpected(st.error());

    result.output = options.output;
    result.name = plan->index.name;
    result.serial = plan->index.serial;
    result.created = plan->index.created;
    result.index_sha256 = crypto::sha256_hex(index_json);
    return result;
}

}  // namespace gapbundle::ops
