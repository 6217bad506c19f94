#pragma once

// The files of the bundle's OCI image layout that gapbundle writes itself: oci/oci-layout,
// oci/index.json, and new indexes for a subset of an image's platforms.

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/sources/oci/platform.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gapbundle::sources::oci::detail {

inline constexpr std::string_view k_layout_dir = "oci";
// The reference and digest an image was resolved from (the registry's, before platform selection).
inline constexpr std::string_view k_source_annotation = "dev.gapbundle.source";

// "oci/blobs/sha256/<hex>" for "sha256:<hex>".
std::string blob_path(std::string_view digest);
// The blob path of bytes gapbundle generated.
std::string blob_path_for(std::string_view bytes);

// An artifact whose bytes are carried in the lock.
manifest::LockedArtifact generated_file(std::string bundle_path, const std::string& bytes, std::string origin);

// oci/oci-layout and oci/index.json listing `tops` (each with its k_ref_name_annotation).
std::vector<manifest::LockedArtifact> layout_files(const std::vector<IndexEntry>& tops);

}  // namespace gapbundle::sources::oci::detail
