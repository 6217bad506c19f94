#pragma once

#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace gapbundle::store {

// The connected side's content-addressed cache: ROOT/blobs/sha256/<hex>.
// Blobs enter only through adopt(), after their hash matched; temp files live in ROOT/tmp.
class Store {
public:
    static Result<Store> open(const std::filesystem::path& root);

    [[nodiscard]] const std::filesystem::path& root() const { return m_root; }
    [[nodiscard]] bool contains(std::string_view sha256) const;
    [[nodiscard]] std::filesystem::path blob_path(std::string_view sha256) const;
    // A fresh, unique path under ROOT/tmp (nothing is created), named after the last component of `hint`.
    [[nodiscard]] std::filesystem::path temp_path(std::string_view hint) const;
    // Moves a verified temp file into place (fsync, rename). `sha256` must be what it hashes to.
    Status adopt(const std::filesystem::path& temp, std::string_view sha256);
    // Stores small bytes received in memory (a registry manifest); returns their sha256.
    Result<std::string> put(std::string_view bytes);
    // A small blob's bytes, re-checked against its sha256 (a cache someone edited is not trusted).
    Result<std::string> read_small(std::string_view sha256, std::uint64_t max_bytes) const;

private:
    explicit Store(std::filesystem::path root) : m_root(std::move(root)) {}
    std::filesystem::path m_root;
};

// $XDG_CACHE_HOME/gapbundle, else ~/.cache/gapbundle.
std::filesystem::path default_cache_dir();

}  // namespace gapbundle::store
