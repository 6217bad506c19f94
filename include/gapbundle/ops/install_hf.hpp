#pragma once

// `install hf`: the Hugging Face hub cache of an unpacked bundle (DIR/hf/hub) merged into a
// machine's hub cache, so that transformers and huggingface_hub find the repos offline.

#include <gapbundle/util/error.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>

namespace gapbundle::ops {

struct InstallHfOptions {
    std::filesystem::path dir;                   // the unpacked bundle (holding hf/hub)
    std::optional<std::filesystem::path> cache;  // default: default_hub_cache()
};

struct InstallHfResult {
    std::filesystem::path cache;
    std::size_t repos = 0;
    std::size_t blobs_copied = 0;
    std::size_t blobs_present = 0;
    std::size_t links_made = 0;
    std::size_t links_present = 0;
    std::size_t refs_written = 0;  // refs/<revision> created or moved to the bundle's commit
    std::size_t refs_present = 0;
};

// huggingface_hub's cache folder: HF_HUB_CACHE, else HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::filesystem::path default_hub_cache();

// Copies the blobs the cache lacks (each through a temporary file and a rename), makes the
// snapshot links it lacks and points refs at the bundle's commits; a blob, link or file that is
// there already is left as it is when it matches, and is an error (naming it) when it differs,
// so what the cache held is never changed. Snapshots of other commits are kept. Running it again
// changes nothing. ErrorCode::usage when DIR holds no hf/hub, ErrorCode::io otherwise.
Result<InstallHfResult> install_hf(const InstallHfOptions& options);

}  // namespace gapbundle::ops
