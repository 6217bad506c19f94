#pragma once

#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/util/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace gapbundle::sources::pypi {

// How the bytes came: a few Range requests, or the whole wheel because the server ignored Range.
enum class WheelTransfer { ranges, whole_file };

struct WheelMetadata {
    std::string text;  // the bytes of {name}-{version}.dist-info/METADATA
    WheelTransfer transfer = WheelTransfer::ranges;
};

struct WheelMetadataLimits {
    std::uint64_t max_metadata = 8ull << 20;       // METADATA, compressed or not
    std::uint64_t max_directory = 64ull << 20;     // the zip's central directory
    std::uint64_t max_whole_wheel = 256ull << 20;  // the fallback when Range is ignored
};

// The METADATA of the remote wheel `filename` (its name finds the .dist-info folder), read as
// uv's and pip's lazy wheels do: the zip's tail with a suffix range, its central directory,
// then METADATA's local header and data. Errors are ErrorCode::download and name the wheel URL
// (credentials redacted).
Result<WheelMetadata> read_wheel_metadata(std::string_view url, std::string_view filename,
                                          const net::Credentials& credentials, const net::EngineOptions& options,
                                          const WheelMetadataLimits& limits = {});

}  // namespace gapbundle::sources::pypi
