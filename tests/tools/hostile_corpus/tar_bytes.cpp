#include "tar_bytes.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace gapbundle::hostile {

namespace {

void put(std::string& block, std::size_t at, std::size_t width, const std::string& text)
{
    if (text.size() > width) throw std::runtime_error("tar field too long: " + text.substr(0, 40));
    std::memcpy(block.data() + at, text.data(), text.size());
}

std::string octal(std::uint64_t value, std::size_t digits)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%0*llo", static_cast<int>(digits), static_cast<unsigned long long>(value));
    return buffer;
}

}  // namespace

std::string header_block(const Header& header)
{
    std::string block(512, '\0');
    put(block, 0, 100, header.name);
    put(block, 100, 8, octal(header.mode, 7));
    put(block, 108, 8, octal(0, 7));
    put(block, 116, 8, octal(0, 7));
    put(block, 124, 12, octal(header.size, 11));
    put(block, 136, 12, octal(1700000000, 11));
    block[156] = header.type;
    put(block, 157, 100, header.link);
    if (header.gnu_magic)
        put(block, 257, 8, std::string("ustar  \0", 8));
    else
        put(block, 257, 8,
            std::string("ustar\0"
                        "00",
                        8));
    put(block, 265, 32, "root");
    put(block, 297, 32, "root");
    std::memset(block.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : block) sum += c;
    put(block, 148, 8, octal(sum, 6) + std::string("\0 ", 2));
    return block;
}

std::string padded(const std::string& data)
{
    std::string out = data;
    out.resize((data.size() + 511) / 512 * 512, '\0');
    return out;
}

std::string pax_header(char type, const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& records)
{
    std::string data;
    for (const auto& [key, value] : records) {
        // "LEN KEY=VALUE\n", LEN counting itself: grow it until it holds.
        const std::size_t body = 1 + key.size() + 1 + value.size() + 1;
        std::size_t length = body + 1;
        while (std::to_string(length).size() + body != length) ++length;
        data += std::to_string(length) + " " + key + "=" + value + "\n";
    }
    return header_block(Header{name, type, data.size(), 0644, {}, false}) + padded(data);
}

ZstdFrame::ZstdFrame()
{
    // Magic, a frame header descriptor with no content size, single segment, checksum or
    // dictionary, then a window of 128 KiB (exponent 7: 2^(10+7)).
    m_bytes = std::string("\x28\xb5\x2f\xfd", 4);
    m_bytes += '\0';
    m_bytes += static_cast<char>(7 << 3);
}

void ZstdFrame::block(int type, std::uint32_t size, const std::string& body)
{
    m_last_block = m_bytes.size();
    const std::uint32_t value = (size << 3) | (static_cast<std::uint32_t>(type) << 1);
    for (int i = 0; i < 3; ++i) m_bytes += static_cast<char>((value >> (8 * i)) & 0xff);
    m_bytes += body;
}

void ZstdFrame::raw(const std::string& data)
{
    constexpr std::size_t k_max = 128 << 10;
    for (std::size_t at = 0; at < data.size(); at += k_max) {
        const auto piece = data.substr(at, k_max);
        block(0, static_cast<std::uint32_t>(piece.size()), piece);
    }
}

void ZstdFrame::run(char byte, std::uint64_t count)
{
    constexpr std::uint64_t k_max = 128 << 10;
    for (std::uint64_t left = count; left > 0;) {
        const auto n = std::min(left, k_max);
        block(1, static_cast<std::uint32_t>(n), std::string(1, byte));
        left -= n;
    }
}

std::string ZstdFrame::finish()
{
    if (m_bytes.size() == 6) block(0, 0, {});
    m_bytes[m_last_block] = static_cast<char>(m_bytes[m_last_block] | 1);
    return m_bytes;
}

}  // namespace gapbundle::hostile
