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

}  // namespace gapbundle::ops
