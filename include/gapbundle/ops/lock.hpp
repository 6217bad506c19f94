#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/fetch.hpp>
#include <gapbundle/store/store.hpp>

#include <filesystem>
#include <optional>

namespace gapbundle::ops {

struct LockOptions {
    std::filesystem::path manifest;
    std::optional<std::filesystem::path> output;  // default: gapbundle.lock.json beside the manifest
    std::filesystem::path cache_dir;
    net::EngineOptions engine;
    net::ProgressCallback progress;
};

struct LockResult {
    manifest::Lock lock;
    std::filesystem::path written;
};

Result<LockResult> lock(const LockOptions& options);

// Every kind resolves its part of the manifest; artifacts sorted by bundle path, paths unique.
Result<manifest::Lock> resolve(const manifest::Manifest& manifest, net::HttpEngine& http, store::Store& store,
                               const net::ProgressCallback& progress = {}, sources::FetchStats* stats = nullptr);

std::filesystem::path default_lock_path(const std::filesystem::path& manifest);

// The lock at `lock_file` (which must have been made from this very manifest), or, without one,
// a fresh resolve of the manifest.
Result<manifest::Lock> load_or_resolve(const manifest::Manifest& manifest,
                                       const std::optional<std::filesystem::path>& lock_file, net::HttpEngine& http,
                                       store::Store& store, const net::ProgressCallback& progress,
                                       sources::FetchStats& resolve_stats);

struct FetchOptions {
    std::filesystem::path manifest;
    std::optional<std::filesystem::path> lock;  // fetch what it lists instead of resolving again
    std::filesystem::path cache_dir;
    net::EngineOptions engine;
    net::ProgressCallback progress;
};

struct FetchResult {
    manifest::Manifest manifest;
    manifest::Lock lock;
    std::optional<store::Store> store;  // the cache, holding every artifact now
    std::size_t artifacts = 0;
    std::uint64_t bytes = 0;     // of all artifacts
    sources::FetchStats fetch;   // what had to be downloaded, and what the cache had
};

// Resolves (or reads the lock) and makes every artifact present in the cache; writes nothing
// else. pack starts with it.
Result<FetchResult> fetch(const FetchOptions& options);

}  // namespace gapbundle::ops
