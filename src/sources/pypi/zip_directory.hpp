#pragma once

// Just enough of the zip format to pull one member out of a wheel through random reads:
// the end records (ZIP64 included), the central directory, one member's local header and data.
// Every offset and size read from the file is checked against the file before it is used.

#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::pypi::zip {

// Random access to the bytes of a zip file of a known size.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    [[nodiscard]] virtual std::uint64_t size() const = 0;
    // Exactly `length` bytes at `offset`; the caller keeps offset + length within size().
    virtual Result<std::string> read(std::uint64_t offset, std::uint64_t length) = 0;
};

// A whole file in memory.
class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string bytes) : m_bytes(std::move(bytes)) {}
    [[nodiscard]] std::uint64_t size() const override { return m_bytes.size(); }
    Result<std::string> read(std::uint64_t offset, std::uint64_t length) override;

private:
    std::string m_bytes;
};

struct Entry {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;  // 0 stored, 8 deflate
    std::uint32_t crc32 = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t uncompressed_size = 0;
    std::uint64_t local_header_offset = 0;
};

struct Limits {
    std::uint64_t max_directory = 64ull << 20;  // central directory bytes
    std::uint64_t max_member = 8ull << 20;      // one member, compressed or not
};

// Errors are ErrorCode::download without context ("corrupt zip: ..."); the caller adds the file.
Result<std::vector<Entry>> read_directory(ByteSource& source, const Limits& limits);
Result<std::string> read_member(ByteSource& source, const Entry& entry, const Limits& limits);

}  // namespace gapbundle::sources::pypi::zip
