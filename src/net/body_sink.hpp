#pragma once

// Where one transfer's body goes (private to the net layer).

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace gapbundle::net::detail {

// A file on disk, hashed as it streams. It always holds a prefix of the resource and the hash
// covers exactly that prefix, so a later attempt can append to it after a 206.
class FileSink {
public:
    explicit FileSink(std::filesystem::path path) : m_path(std::move(path)) {}

    // Creates (or truncates) the file; a no-op once open. Called at the first attempt so that
    // only started transfers hold a descriptor.
    Status open();
    [[nodiscard]] bool is_open() const { return m_file != nullptr; }

    Status write(std::string_view data);
    Status restart();  // empty the file and the hash (the server sent the whole body again)
    [[nodiscard]] std::uint64_t size() const { return m_size; }
    // Flushes and closes; returns the sha256 of everything written.
    Result<std::string> finish();
    // Closes and removes the file (any final failure).
    void discard() noexcept;

private:
    Error io_error(std::string_view what, int err) const;

    std::filesystem::path m_path;
    UniqueFile m_file;
    crypto::Sha256 m_sha;
    std::uint64_t m_size = 0;
};

// A small document kept in memory, refused past `cap` bytes.
class TextSink {
public:
    explicit TextSink(std::uint64_t cap) : m_cap(cap) {}

    Status write(std::string_view data);
    Status restart();
    [[nodiscard]] std::uint64_t size() const { return m_text.size(); }
    std::string take() { return std::move(m_text); }
    void discard() noexcept { m_text.clear(); }

private:
    std::uint64_t m_cap;
    std::string m_text;
};

using BodySink = std::variant<FileSink, TextSink>;

}  // namespace gapbundle::net::detail
