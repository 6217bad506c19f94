#include "inline_artifact.hpp"

#include <gapbundle/crypto/sha256.hpp>

namespace gapbundle::sources::detail {

manifest::LockedArtifact inline_artifact(std::string kind, std::string bundle_path, std::string content,
                                         std::string origin)
{
    manifest::LockedArtifact artifact;
    artifact.kind = std::move(kind);
    artifact.bundle_path = std::move(bundle_path);
    artifact.size = content.size();
    artifact.sha256 = crypto::sha256_hex(content);
    artifact.mode = 0644;
    artifact.origin = std::move(origin);
    artifact.content = std::move(content);
    return artifact;
}

}  // namespace gapbundle::sources::detail
