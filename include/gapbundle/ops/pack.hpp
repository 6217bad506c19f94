#pragma once

#include <gapbundle/bundle/writer.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/fetch.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::ops {

struct PackOptions {
    std::filesystem::path manifest;
    std::vector<std::filesystem::path> keys;          // one signature each
    std::filesystem::path output;
    std::optional<std::filesystem::path> lock;        // build from it instead of resolving
    std::filesystem::path cache_dir;
    std::optional<bundle::Compression> compression;   // default from the output name
    // A delta: the previous bundle (or its index.json); files it holds are listed, not carried.
    std::optional<std::filesystem::path> base;
    // Volumes of fewer than this many bytes: OUTPUT.001, … and the head, OUTPUT.000, last.
    std::optional<std::uint64_t> split_size;
    net::EngineOptions engine;
    net::ProgressCallback progress;
};

struct PackResult {
    std::filesystem::path output;      // the bundle, or its first volume (OUTPUT.000)
    std::string name;
    std::string channel;
    std::uint64_t serial = 0;
    std::string created;
    std::string index_sha256;
    std::vector<std::string> key_ids;
    std::size_t entries = 0;           // in the index: files, folders, symlinks, carried or not
    std::size_t files = 0;             // carried
    std::uint64_t payload_bytes = 0;   // carried
    std::size_t files_from_base = 0;   // a delta's files left to the base release
    std::optional<std::uint64_t> base_serial;
    std::uint64_t bundle_bytes = 0;
    std::vector<bundle::Volume> volumes;  // the payload volumes (OUTPUT.001, …) when split
    sources::FetchStats fetch;
};

Result<PackResult> pack(const PackOptions& options);

}  // namespace gapbundle::ops
