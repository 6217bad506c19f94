#include "zip_writer.hpp"

#include <zlib.h>

#include <random>
#include <stdexcept>

namespace gapbundle::testing {

namespace {

void add(std::string& out, std::uint64_t value, std::size_t width)
{
    for (std::size_t i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::string raw_deflate(const std::string& data)
{
    z_stream stream{};
    if (deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int code = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (code != Z_STREAM_END) throw std::runtime_error("deflate");
    return out;
}

struct Written {
    std::uint32_t crc = 0;
    std::uint16_t method = 0;
    std::uint64_t compressed = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
};

}  // namespace

void put_le(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t width)
{
    for (std::size_t i = 0; i < width; ++i) bytes.at(at + i) = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::string noise(std::size_t n, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(rng() & 0xFF);
    return out;
}

std::string make_wheel(const std::string& dist_info, const std::string& metadata, WheelLayout layout, ZipFormat format)
{
    const ZipMember meta{dist_info + "/METADATA", metadata, ZipMember::Method::deflate};
    const ZipMember code{"pkg/__init__.py", "print('hello')\n", ZipMember::Method::deflate};
    const ZipMember blob{"pkg/blob.bin", noise(200 << 10), ZipMember::Method::stored};
    const ZipMember record{dist_info + "/RECORD", "pkg/__init__.py,,\n", ZipMember::Method::deflate};
    if (layout == WheelLayout::metadata_first) return write_zip({meta, code, blob, record}, format);
    return write_zip({code, blob, meta, record}, format);
}

std::string write_zip(const std::vector<ZipMember>& members, ZipFormat format)
{
    const bool big = format == ZipFormat::zip64;
    std::string out;
    std::vector<Written> written;
    for (const ZipMember& m : members) {
        const bool deflated = m.method == ZipMember::Method::deflate;
        const std::string data = deflated ? raw_deflate(m.data) : m.data;
        Written w{.crc = static_cast<std::uint32_t>(
                      crc32(0L, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size()))),
                  .method = static_cast<std::uint16_t>(deflated ? 8 : 0),
                  .compressed = data.size(),
                  .size = m.data.size(),
                  .offset = out.size()};
        add(out, 0x04034b50, 4);
        add(out, big ? 45 : 20, 2);
        add(out, 0, 2);
        add(out, w.method, 2);
        add(out, 0, 4);  // time, date
        add(out, w.crc, 4);
        add(out, big ? 0xFFFFFFFF : w.compressed, 4);
        add(out, big ? 0xFFFFFFFF : w.size, 4);
        add(out, m.name.size(), 2);
        add(out, big ? 20 : 0, 2);
        out += m.name;
        if (big) {
            add(out, 1, 2);
            add(out, 16, 2);
            add(out, w.size, 8);
            add(out, w.compressed, 8);
        }
        out += data;
        written.push_back(w);
    }
    const std::uint64_t directory_at = out.size();
    for (std::size_t i = 0; i < members.size(); ++i) {
        const Written& w = written[i];
        add(out, 0x02014b50, 4);
        add(out, 0x031E, 2);
        add(out, big ? 45 : 20, 2);
        add(out, 0, 2);
        add(out, w.method, 2);
        add(out, 0, 4);
        add(out, w.crc, 4);
        add(out, big ? 0xFFFFFFFF : w.compressed, 4);
        add(out, big ? 0xFFFFFFFF : w.size, 4);
        add(out, members[i].name.size(), 2);
        add(out, big ? 28 : 0, 2);
        add(out, 0, 2);  // comment
        add(out, 0, 2);  // disk
        add(out, 0, 2);  // internal attributes
        add(out, 0, 4);  // external attributes
        add(out, big ? 0xFFFFFFFF : w.offset, 4);
        out += members[i].name;
        if (big) {
            add(out, 1, 2);
            add(out, 24, 2);
            add(out, w.size, 8);
            add(out, w.compressed, 8);
            add(out, w.offset, 8);
        }
    }
    const std::uint64_t directory_size = out.size() - directory_at;
    if (big) {
        const std::uint64_t record_at = out.size();
        add(out, 0x06064b50, 4);
        add(out, 44, 8);
        add(out, 45, 2);
        add(out, 45, 2);
        add(out, 0, 4);
        add(out, 0, 4);
        add(out, members.size(), 8);
        add(out, members.size(), 8);
        add(out, directory_size, 8);
        add(out, directory_at, 8);
        add(out, 0x07064b50, 4);
        add(out, 0, 4);
        add(out, record_at, 8);
        add(out, 1, 4);
    }
    add(out, 0x06054b50, 4);
    add(out, 0, 4);
    add(out, big ? 0xFFFF : members.size(), 2);
    add(out, big ? 0xFFFF : members.size(), 2);
    add(out, big ? 0xFFFFFFFF : directory_size, 4);
    add(out, big ? 0xFFFFFFFF : directory_at, 4);
    add(out, 0, 2);
    return out;
}

}  // namespace gapbundle::testing
