#include <gapbundle/ops/lock.hpp>

#include <gapbundle/sources/source_kind.hpp>

#include <algorithm>
#include <tuple>

namespace gapbundle::ops {

std::filesystem::path default_lock_path(const std::filesystem::path& manifest)
{
    return manifest.parent_path() / "gapbundle.lock.json";
}

Result<manifest::Lock> resolve(const manifest::Manifest& manifest, net::HttpEngine& http, store::Store& store,
                               const net::ProgressCallback& progress, sources::FetchStats* stats)
{
    manifest::Lock lock;
    lock.name = manifest.name;
    lock.manifest_sha256 = manifest.sha256;
    sources::ResolveContext context{manifest, http, store, progress, stats};
    for (const auto& kind : sources::all_kinds()) {
        auto resolved = kind->resolve(context);
        if (!resolved) return std::unexpected(resolved.error());
        if (lock.artifacts.empty())  // moved whole: a folder of 100,000 files is not held twice
            lock.artifacts = std::move(resolved->artifacts);
        else
            lock.artifacts.insert(lock.artifacts.end(), std::make_move_iterator(resolved->artifacts.begin()),
                                  std::make_move_iterator(resolved->artifacts.end()));
        lock.components.insert(lock.components.end(), std::make_move_iterator(resolved->components.begin()),
                               std::make_move_iterator(resolved->components.end()));
    }
    std::ranges::sort(lock.components, {}, [](const manifest::Component& c) { return std::tie(c.kind, c.name, c.version); });
    std::ranges::sort(lock.artifacts, {}, &manifest::LockedArtifact::bundle_path);
    const auto same_path = [](const auto& a, const auto& b) { return a.bundle_path == b.bundle_path; };
    if (auto dup = std::ranges::adjacent_find(lock.artifacts, same_path); dup != lock.artifacts.end())
        return fail(ErrorCode::manifest, manifest.file.string() + ": " + dup->origin + " and " + std::next(dup)->origin +
                                             " both land at " + dup->bundle_path);
    return lock;
}

Result<LockResult> lock(const LockOptions& options)
{
    auto manifest = manifest::load_manifest(options.manifest);
    if (!manifest) return std::unexpected(manifest.error());
    auto store = store::Store::open(options.cache_dir);
    if (!store) return std::unexpected(store.error());
    net::HttpEngine http(options.engine);
    auto resolved = resolve(*manifest, http, *store, options.progress);
    if (!resolved) return std::unexpected(resolved.error());
    LockResult result{std::move(*resolved), options.output.value_or(default_lock_path(options.manifest))};
    if (auto st = manifest::save_lock(result.lock, result.written); !st) return std::unexpected(st.error());
    return result;
}

}  // namespace gapbundle::ops

namespace gapbundle::ops {

Result<manifest::Lock> load_or_resolve(const manifest::Manifest& manifest,
                                       const std::optional<std::filesystem::path>& lock_file, net::HttpEngine& http,
                                       store::Store& store, const net::ProgressCallback& progress,
                                       sources::FetchStats& resolve_stats)
{
    if (!lock_file) return resolve(manifest, http, store, progress, &resolve_stats);
    auto lock = manifest::load_lock(*lock_file);
    if (!lock) return std::unexpected(lock.error());
    if (lock->manifest_sha256 != manifest.sha256)
        return fail(ErrorCode::manifest, lock_file->string() + ": was made from another version of " +
                                             manifest.file.string() + "; run gapbundle lock again");
    return lock;
}

Result<FetchResult> fetch(const FetchOptions& options)
{
    auto manifest = manifest::load_manifest(options.manifest);
    if (!manifest) return std::unexpected(manifest.error());
    auto store = store::Store::open(options.cache_dir);
    if (!store) return std::unexpected(store.error());
    net::HttpEngine http(options.engine);
    sources::FetchStats resolved;
    auto lock = load_or_resolve(*manifest, options.lock, http, *store, options.progress, resolved);
    if (!lock) return std::unexpected(lock.error());
    auto fetched = sources::fetch_artifacts(lock->artifacts, *manifest, http, *store, options.progress);
    if (!fetched) return std::unexpected(fetched.error());
    FetchResult result;
    result.artifacts = lock->artifacts.size();
    for (const auto& artifact : lock->artifacts) result.bytes += artifact.size;
    result.fetch = sources::combine(resolved, *fetched);
    result.manifest = std::move(*manifest);
    result.lock = std::move(*lock);
    result.store = std::move(*store);
    return result;
}

}  // namespace gapbundle::ops
