#include "layout_files.hpp"

#include "../inline_artifact.hpp"

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/sources/oci/media_types.hpp>

namespace gapbundle::sources::oci::detail {

std::string blob_path(std::string_view digest)
{
    const auto colon = digest.find(':');
    return std::string(k_layout_dir) + "/blobs/" + std::string(digest.substr(0, colon)) + "/" +
           std::string(digest.substr(colon + 1));
}

std::string blob_path_for(std::string_view bytes)
{
    return blob_path("sha256:" + crypto::sha256_hex(bytes));
}

manifest::LockedArtifact generated_file(std::string bundle_path, const std::string& bytes, std::string origin)
{
    return sources::detail::inline_artifact("images", std::move(bundle_path), bytes, std::move(origin));
}

std::vector<manifest::LockedArtifact> layout_files(const std::vector<IndexEntry>& tops)
{
    const std::string dir(k_layout_dir);
    return {
        generated_file(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})", "images"),
        generated_file(dir + "/index.json", make_index(tops, media_types::k_oci_index), "images"),
    };
}

}  // namespace gapbundle::sources::oci::detail
