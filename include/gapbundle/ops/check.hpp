#pragma once

#include <gapbundle/bundle/unpacker.hpp>
#include <gapbundle/bundle/verifier.hpp>

#include <filesystem>
#include <vector>

namespace gapbundle::ops {

struct TrustOptions {
    std::vector<std::filesystem::path> trust;  // .pub files or folders
    int threshold = 1;
};

Result<bundle::VerifyReport> verify(const std::filesystem::path& bundle, const TrustOptions& trust);

Result<bundle::UnpackReport> unpack(const std::filesystem::path& bundle, const std::filesystem::path& destination,
                                    const TrustOptions& trust, bundle::ExistingDestination existing);

// The index and signatures as the bundle states them, unverified.
Result<bundle::UnverifiedHead> inspect(const std::filesystem::path& bundle);

}  // namespace gapbundle::ops
