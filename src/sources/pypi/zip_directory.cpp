#include "zip_directory.hpp"

#include <zlib.h>

#include <algorithm>
#include <optional>

namespace gapbundle::sources::pypi::zip {

namespace {

constexpr std::uint64_t k_end_size = 22;
constexpr std::uint64_t k_locator_size = 20;
constexpr std::uint64_t k_end64_size = 56;
constexpr std::uint64_t k_central_size = 46;
constexpr std::uint64_t k_local_size = 30;
constexpr std::uint64_t k_first_tail = 16 << 10;
constexpr std::uint64_t k_max_tail = k_end_size + 0xFFFF + k_locator_size;

std::unexpected<Error> corrupt(const std::string& why)
{
    return fail(ErrorCode::download, "corrupt zip: " + why);
}

std::uint64_t le(std::string_view bytes, std::size_t at, std::size_t width)
{
    std::uint64_t value = 0;
    for (std::size_t i = width; i-- > 0;) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
    return value;
}
std::uint16_t le16(std::string_view b, std::size_t at)
{
    return static_cast<std::uint16_t>(le(b, at, 2));
}
std::uint32_t le32(std::string_view b, std::size_t at)
{
    return static_cast<std::uint32_t>(le(b, at, 4));
}
std::uint64_t le64(std::string_view b, std::size_t at)
{
    return le(b, at, 8);
}

struct Directory {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t entries = 0;
    std::uint64_t end = 0;  // where the end records start: the directory must end before
};

// The last "PK\5\6" whose comment fits in the tail.
std::optional<std::size_t> find_end_record(std::string_view tail)
{
    if (tail.size() < k_end_size) return std::nullopt;
    for (std::size_t pos = tail.size() - k_end_size + 1; pos-- > 0;) {
        if (tail.compare(pos, 4, "PK\x05\x06") != 0) continue;
        if (pos + k_end_size + le16(tail, pos + 20) <= tail.size()) return pos;
    }
    return std::nullopt;
}

Status read_zip64_end(ByteSource& source, std::uint64_t end_at, Directory& dir)
{
    if (end_at < k_locator_size) return corrupt("ZIP64 end locator missing");
    auto locator = source.read(end_at - k_locator_size, k_locator_size);
    if (!locator) return std::unexpected(locator.error());
    if (locator->compare(0, 4, "PK\x06\x07") != 0) return corrupt("ZIP64 end locator missing");
    const std::uint64_t record_at = le64(*locator, 8);
    if (record_at > end_at - k_locator_size || end_at - k_locator_size - record_at < k_end64_size)
        return corrupt("ZIP64 end record out of range");
    auto record = source.read(record_at, k_end64_size);
    if (!record) return std::unexpected(record.error());
    if (record->compare(0, 4, "PK\x06\x06") != 0) return corrupt("ZIP64 end record missing");
    dir.entries = le64(*record, 32);
    dir.size = le64(*record, 40);
    dir.offset = le64(*record, 48);
    dir.end = record_at;
    return {};
}

Result<Directory> locate_directory(ByteSource& source, const Limits& limits)
{
    const std::uint64_t size = source.size();
    std::optional<std::size_t> found;
    std::string tail;
    for (const std::uint64_t want : {k_first_tail, k_max_tail}) {
        const std::uint64_t length = std::min(size, want);
        auto bytes = source.read(size - length, length);
        if (!bytes) return std::unexpected(bytes.error());
        tail = std::move(*bytes);
        found = find_end_record(tail);
        if (found || length == size) break;
    }
    if (!found) return corrupt("no end of central directory record");
    const std::uint64_t end_at = size - tail.size() + *found;
    const std::string_view end = std::string_view(tail).substr(*found);
    Directory dir{.offset = le32(end, 16), .size = le32(end, 12), .entries = le16(end, 10), .end = end_at};
    if (dir.entries == 0xFFFF || dir.size == 0xFFFFFFFF || dir.offset == 0xFFFFFFFF) {
        if (auto ok = read_zip64_end(source, end_at, dir); !ok) return std::unexpected(ok.error());
    }
    if (dir.offset > dir.end || dir.size > dir.end - dir.offset)
        return corrupt("central directory (" + std::to_string(dir.size) + " bytes at " + std::to_string(dir.offset) +
                       ") out of range of the " + std::to_string(size) + "-byte file");
    if (dir.size > limits.max_directory)
        return corrupt("central directory of " + std::to_string(dir.size) + " bytes is over the limit");
    if (dir.entries > dir.size / k_central_size) return corrupt("more entries than the central directory holds");
    return dir;
}

// The ZIP64 extended information extra field replaces the fields saturated in the header.
Status apply_zip64_extra(std::string_view extra, Entry& entry, bool big_usize, bool big_csize, bool big_offset)
{
    while (extra.size() >= 4) {
        const std::uint16_t id = le16(extra, 0);
        const std::size_t length = le16(extra, 2);
        if (length > extra.size() - 4) return corrupt("extra field out of range in entry '" + entry.name + "'");
        std::string_view data = extra.substr(4, length);
        extra.remove_prefix(4 + length);
        if (id != 0x0001) continue;
        for (auto [wanted, field] :
             {std::pair{big_usize, &entry.uncompressed_size}, std::pair{big_csize, &entry.compressed_size},
              std::pair{big_offset, &entry.local_header_offset}}) {
            if (!wanted) continue;
            if (data.size() < 8) return corrupt("short ZIP64 extra field in entry '" + entry.name + "'");
            *field = le64(data, 0);
            data.remove_prefix(8);
        }
        return {};
    }
    if (big_usize || big_csize || big_offset) return corrupt("missing ZIP64 extra field in entry '" + entry.name + "'");
    return {};
}

// A raw-deflate stream with its inflateEnd.
class Inflater {
public:
    Inflater() { m_ready = inflateInit2(&m_stream, -MAX_WBITS) == Z_OK; }
    ~Inflater()
    {
        if (m_ready) inflateEnd(&m_stream);
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    // Exactly `expected` bytes out of `input`, or an error; never writes more than expected + 1.
    Result<std::string> inflate_all(std::string_view input, std::uint64_t expected)
    {
        if (!m_ready) return fail(ErrorCode::internal, "inflateInit2 failed");
        std::string out(expected + 1, '\0');
        m_stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
        m_stream.avail_in = static_cast<uInt>(input.size());
        m_stream.next_out = reinterpret_cast<Bytef*>(out.data());
        m_stream.avail_out = static_cast<uInt>(out.size());
        const int code = inflate(&m_stream, Z_FINISH);
        if (code == Z_DATA_ERROR || code == Z_NEED_DICT || code == Z_MEM_ERROR)
            return corrupt(std::string("bad deflate data: ") + (m_stream.msg ? m_stream.msg : "error"));
        if (m_stream.total_out > expected)
            return corrupt("inflates to more than the declared " + std::to_string(expected) + " bytes");
        if (code != Z_STREAM_END) return corrupt("deflate data ends early");
        if (m_stream.total_out != expected)
            return corrupt("inflates to " + std::to_string(m_stream.total_out) + " bytes, not the declared " +
                           std::to_string(expected));
        out.resize(expected);
        return out;
    }

private:
    z_stream m_stream{};
    bool m_ready = false;
};

}  // namespace

Result<std::string> MemorySource::read(std::uint64_t offset, std::uint64_t length)
{
    if (offset > m_bytes.size() || length > m_bytes.size() - offset) return corrupt("read past the end of the file");
    return m_bytes.substr(offset, length);
}

Result<std::vector<Entry>> read_directory(ByteSource& source, const Limits& limits)
{
    auto dir = locate_directory(source, limits);
    if (!dir) return std::unexpected(dir.error());
    auto bytes = source.read(dir->offset, dir->size);
    if (!bytes) return std::unexpected(bytes.error());
    std::string_view rest = *bytes;
    std::vector<Entry> entries;
    entries.reserve(std::min<std::uint64_t>(dir->entries, 4096));
    for (std::uint64_t i = 0; i < dir->entries; ++i) {
        if (rest.size() < k_central_size || rest.compare(0, 4, "PK\x01\x02") != 0)
            return corrupt("central directory entry " + std::to_string(i) + " is damaged");
        const std::size_t name_length = le16(rest, 28);
        const std::size_t extra_length = le16(rest, 30);
        const std::size_t comment_length = le16(rest, 32);
        if (k_central_size + name_length + extra_length + comment_length > rest.size())
            return corrupt("central directory entry " + std::to_string(i) + " runs past the directory");
        Entry entry{.name = std::string(rest.substr(k_central_size, name_length)),
                    .flags = le16(rest, 8),
                    .method = le16(rest, 10),
                    .crc32 = le32(rest, 16),
                    .compressed_size = le32(rest, 20),
                    .uncompressed_size = le32(rest, 24),
                    .local_header_offset = le32(rest, 42)};
        const std::string_view extra = rest.substr(k_central_size + name_length, extra_length);
        if (auto ok = apply_zip64_extra(extra, entry, entry.uncompressed_size == 0xFFFFFFFF,
                                        entry.compressed_size == 0xFFFFFFFF, entry.local_header_offset == 0xFFFFFFFF);
            !ok)
            return std::unexpected(ok.error());
        entries.push_back(std::move(entry));
        rest.remove_prefix(k_central_size + name_length + extra_length + comment_length);
    }
    return entries;
}

Result<std::string> read_member(ByteSource& source, const Entry& entry, const Limits& limits)
{
    const std::string what = "'" + entry.name + "'";
    if (entry.flags & 1) return corrupt(what + " is encrypted");
    if (entry.method != 0 && entry.method != 8)
        return corrupt(what + " uses compression method " + std::to_string(entry.method) +
                       " (only stored and deflate)");
    if (entry.compressed_size > limits.max_member || entry.uncompressed_size > limits.max_member)
        return corrupt(what + " is larger than the " + std::to_string(limits.max_member) + "-byte limit");
    const std::uint64_t size = source.size();
    if (entry.local_header_offset > size || size - entry.local_header_offset < k_local_size)
        return corrupt("local header of " + what + " out of range");
    // One read for the header and, usually, the data behind it (the local extra field is
    // rarely longer than the slack).
    const std::uint64_t guess = k_local_size + entry.name.size() + 256 + entry.compressed_size;
    auto head = source.read(entry.local_header_offset, std::min(guess, size - entry.local_header_offset));
    if (!head) return std::unexpected(head.error());
    if (head->compare(0, 4, "PK\x03\x04") != 0) return corrupt("no local header for " + what);
    const std::uint64_t skip = k_local_size + le16(*head, 26) + le16(*head, 28);
    const std::uint64_t data_at = entry.local_header_offset + skip;
    if (data_at > size || size - data_at < entry.compressed_size) return corrupt("data of " + what + " out of range");
    std::string data;
    if (skip + entry.compressed_size <= head->size()) {
        data = head->substr(skip, entry.compressed_size);
    } else {
        auto more = source.read(data_at, entry.compressed_size);
        if (!more) return std::unexpected(more.error());
        data = std::move(*more);
    }
    std::string out;
    if (entry.method == 0) {
        if (entry.compressed_size != entry.uncompressed_size) return corrupt("stored " + what + " changes size");
        out = std::move(data);
    } else {
        auto inflated = Inflater().inflate_all(data, entry.uncompressed_size);
        if (!inflated) return std::unexpected(inflated.error().context(what));
        out = std::move(*inflated);
    }
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
    if (crc != entry.crc32) return corrupt(what + " fails its CRC-32 check");
    return out;
}

}  // namespace gapbundle::sources::pypi::zip
