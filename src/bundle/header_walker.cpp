#include "header_walker.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace gapbundle::bundle::detail {

namespace {

constexpr std::size_t k_block = 512;
constexpr std::uint64_t k_max_pax_bytes = 1 << 20;
constexpr std::uint64_t k_max_octal_size = 077777777777ull;  // 11 octal digits: what ustar can hold

// The pax keys libarchive's restricted pax writer may emit for our entries.
constexpr std::array<std::string_view, 11> k_pax_keys = {"path", "linkpath", "size",  "mtime", "atime",     "ctime",
                                                         "uid",  "gid",      "uname", "gname", "hdrcharset"};

std::string_view field(const std::string& block, std::size_t at, std::size_t size)
{
    std::string_view text(block.data() + at, size);
    return text.substr(0, std::min(text.find('\0'), text.size()));
}

std::optional<std::uint64_t> octal(std::string_view text)
{
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
    std::uint64_t value = 0;
    if (text.empty()) return value;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::uint64_t padded(std::uint64_t size)
{
    return (size + k_block - 1) / k_block * k_block;
}

}  // namespace

void HeaderWalker::refuse(std::string path, std::string kind, std::string message)
{
    if (!m_problem) m_problem = HeaderProblem{path, std::move(kind), path + ": " + message};
    m_state = State::done;
}

void HeaderWalker::feed(std::span<const std::byte> bytes)
{
    const auto* at = reinterpret_cast<const char*>(bytes.data());
    std::size_t left = bytes.size();
    while (left > 0 && m_state != State::done) {
        if (m_state == State::header) {
            const std::size_t n = std::min(left, k_block - m_block.size());
            m_block.append(at, n);
            at += n;
            left -= n;
            if (m_block.size() == k_block) on_header();
            continue;
        }
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, m_left));
        const auto keep = static_cast<std::size_t>(std::min<std::uint64_t>(n, m_collect));
        m_pax.append(at, keep);
        m_collect -= keep;
        at += n;
        left -= n;
        m_left -= n;
        if (m_left == 0) {
            m_state = State::header;
            if (!m_pax.empty()) on_pax_data();
        }
    }
}

void HeaderWalker::on_header()
{
    std::string block = std::move(m_block);
    m_block.clear();
    if (std::ranges::all_of(block, [](char c) { return c == '\0'; })) {
        m_state = State::done;  // the end-of-archive marker; what follows is the reader's to check
        return;
    }
    const bool ustar = field(block, 257, 6) == "ustar";
    std::string path(field(block, 0, 100));
    if (ustar && !field(block, 345, 155).empty()) path = std::string(field(block, 345, 155)) + "/" + path;
    if (m_pax_path) path = *m_pax_path;
    const char type = block[156];
    if (static_cast<unsigned char>(block[124]) & 0x80) return refuse(path, "format", "base-256 size field");
    const auto size = octal(std::string_view(block.data() + 124, 12));
    if (!size) return refuse(path, "format", "size field is not octal");
    if (type == 'g') return refuse(path, "format", "global pax headers ('g') are not allowed");
    if (type == 'x') {
        if (m_pax_size || m_pax_path) return refuse(path, "format", "two pax headers for one entry");
        if (*size > k_max_pax_bytes) return refuse(path, "format", "pax header larger than 1 MiB");
        if (*size == 0) return;
        m_collect = *size;
        m_left = padded(*size);
        m_state = State::data;
        return;
    }
    std::uint64_t data = *size;
    if (m_pax_size) {
        // ustar cannot hold 8 GiB or more: writers then put the size in pax only.
        const bool unrepresentable = *m_pax_size > k_max_octal_size && *size == 0;
        if (*size != *m_pax_size && !unrepresentable)
            return refuse(
                path, "format",
                "pax size " + std::to_string(*m_pax_size) + " disagrees with the ustar size " + std::to_string(*size));
        data = *m_pax_size;
    }
    m_pax_size.reset();
    m_pax_path.reset();
    const bool has_data = type == '0' || type == '\0' || type == '7';
    if (!has_data && data > 0)
        return refuse(path, "format", "a header of type '" + std::string(1, type) + "' with data");
    m_left = padded(data);
    if (m_left > 0) m_state = State::data;
}

void HeaderWalker::on_pax_data()
{
    // Records are "LEN KEY=VALUE\n", LEN counting the whole record.
    const std::string records = std::move(m_pax);
    m_pax.clear();
    std::string_view rest = records;
    const std::string name = m_pax_path.value_or("(pax header)");
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        std::uint64_t length = 0;
        if (space == std::string_view::npos) return refuse(name, "format", "malformed pax record");
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + space, length);
        if (ec != std::errc() || end != rest.data() + space || length <= space + 1 || length > rest.size() ||
            rest[length - 1] != '\n')
            return refuse(name, "format", "malformed pax record");
        const auto record = rest.substr(space + 1, length - space - 2);
        rest.remove_prefix(length);
        const auto equals = record.find('=');
        if (equals == std::string_view::npos) return refuse(name, "format", "malformed pax record");
        const auto key = record.substr(0, equals);
        const auto value = record.substr(equals + 1);
        if (std::ranges::find(k_pax_keys, key) == k_pax_keys.end()) {
            const bool sparse = key.starts_with("GNU.sparse.");
            return refuse(m_pax_path.value_or(name), sparse ? "type" : "format",
                          sparse ? "sparse entries are not allowed (pax key '" + std::string(key) + "')"
                                 : "pax key '" + std::string(key) + "' is not allowed");
        }
        if (key == "path") m_pax_path = std::string(value);
        if (key == "size") {
            std::uint64_t size = 0;
            const auto [size_end, size_ec] = std::from_chars(value.data(), value.data() + value.size(), size);
            if (size_ec != std::errc() || size_end != value.data() + value.size())
                return refuse(name, "format", "pax size '" + std::string(value) + "' is not a number");
            m_pax_size = size;
        }
    }
}

}  // namespace gapbundle::bundle::detail
