#include <gapbundle/ops/keygen.hpp>

#include <gapbundle/crypto/keys.hpp>

namespace gapbundle::ops {

Result<KeygenResult> keygen(const std::filesystem::path& prefix)
{
    auto pub = crypto::write_new_keypair(prefix);
    if (!pub) return std::unexpected(pub.error());
    return KeygenResult{prefix.string() + ".key", prefix.string() + ".pub", pub->key_id()};
}

}  // namespace gapbundle::ops
