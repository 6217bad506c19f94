#include <gapbundle/ops/check.hpp>

#include <gapbundle/util/time.hpp>

namespace gapbundle::ops {

namespace {

Result<bundle::VerifyOptions> verify_options(const TrustOptions& trust)
{
    if (trust.trust.empty()) return fail(ErrorCode::usage, "no trusted keys given (--trust FILE.pub or folder)");
    if (trust.threshold < 1) return fail(ErrorCode::usage, "--threshold must be at least 1");
    auto keys = bundle::load_trust(trust.trust);
    if (!keys) return std::unexpected(keys.error());
    bundle::VerifyOptions options;
    options.trust = std::move(*keys);
    options.threshold = trust.threshold;
    options.now = time::now();
    return options;
}

}  // namespace

Result<bundle::VerifyReport> verify(const std::filesystem::path& bundle, const TrustOptions& trust)
{
    auto options = verify_options(trust);
    if (!options) return std::unexpected(options.error());
    return bundle::verify_bundle(bundle, *options);
}

Result<bundle::UnpackReport> unpack(const std::filesystem::path& bundle, const std::filesystem::path& destination,
                                    const TrustOptions& trust, bundle::ExistingDestination existing)
{
    auto options = verify_options(trust);
    if (!options) return std::unexpected(options.error());
    bundle::UnpackOptions unpack_options;
    unpack_options.verify = std::move(*options);
    unpack_options.existing = existing;
    return bundle::unpack_bundle(bundle, destination, unpack_options);
}

Result<bundle::UnverifiedHead> inspect(const std::filesystem::path& bundle)
{
    return bundle::read_head(bundle);
}

}  // namespace gapbundle::ops
