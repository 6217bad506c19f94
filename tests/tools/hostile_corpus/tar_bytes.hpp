#pragma once

// Tar and zstd bytes written by hand, for hostile bundles that libarchive's writer will not
// produce: any type flag, a size field that disagrees with pax, global pax headers, GNU sparse
// headers, and zstd frames of run-length blocks that stand for gigabytes of zeros.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gapbundle::hostile {

struct Header {
    std::string name;
    char type = '0';
    std::uint64_t size = 0;  // written into the ustar size field as is
    unsigned mode = 0644;
    std::string link;
    bool gnu_magic = false;  // "ustar  " (GNU) instead of "ustar\0" "00"
};

// One 512-byte header block with a correct checksum.
std::string header_block(const Header& header);
// `data` followed by zeros to the next 512-byte boundary.
std::string padded(const std::string& data);
// A pax header ('x' or 'g') carrying `records` (key, value), as its header block and data.
std::string pax_header(char type, const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& records);
inline std::string end_marker()
{
    return std::string(1024, '\0');
}

// A zstd frame made of raw blocks and run-length blocks (long runs of one byte), written
// without compressing anything.
class ZstdFrame {
public:
    ZstdFrame();
    void raw(const std::string& data);
    void run(char byte, std::uint64_t count);  // `count` copies of `byte`
    std::string finish();                      // marks the last block

private:
    void block(int type, std::uint32_t size, const std::string& body);
    std::string m_bytes;
    std::size_t m_last_block = 0;  // where the last block header starts
};

}  // namespace gapbundle::hostile
