#pragma once

// A small zip writer for tests: stored and raw-deflate members, plain or ZIP64 records, so that
// the lazy wheel reader meets the layouts real wheels have and the ones hostile files fake.

#include <cstdint>
#include <string>
#include <vector>

namespace gapbundle::testing {

struct ZipMember {
    enum class Method { stored, deflate };
    std::string name;
    std::string data;
    Method method = Method::deflate;
};

enum class ZipFormat { classic, zip64 };

std::string write_zip(const std::vector<ZipMember>& members, ZipFormat format = ZipFormat::classic);

// A wheel with `dist_info`/METADATA and 200 KiB of stored noise in its package, METADATA
// before the noise (far from the tail) or after it (as wheel builders put it).
enum class WheelLayout { metadata_first, metadata_last };
std::string make_wheel(const std::string& dist_info, const std::string& metadata, WheelLayout layout,
                       ZipFormat format = ZipFormat::classic);

// `n` bytes that do not compress.
std::string noise(std::size_t n, std::uint32_t seed = 1);

// Little-endian field patching, for hostile variants.
void put_le(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t width);

}  // namespace gapbundle::testing
