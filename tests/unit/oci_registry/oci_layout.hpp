#pragma once

// Writes small OCI image layouts for the registry tests: uncompressed tar layers built in memory,
// an OCI config and manifest per image, optionally an index over several platforms.

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::testing {

struct Descriptor {
    std::string media_type;
    std::string digest;  // "sha256:<hex>"
    std::size_t size = 0;
};

struct BuiltImage {
    Descriptor manifest;
    std::string manifest_bytes;
    Descriptor config;
    std::vector<Descriptor> layers;
    std::vector<std::string> layer_bytes;
};

class OciLayout {
public:
    explicit OciLayout(std::filesystem::path folder);  // writes oci-layout

    // A single-platform image whose layers each hold one file (name → content).
    BuiltImage add_image(const std::string& architecture,
                         const std::vector<std::pair<std::string, std::string>>& files);
    // An image index over `images` (their platform from the config's architecture).
    Descriptor add_index(const std::vector<std::pair<BuiltImage, std::string>>& images_and_arch);
    // Stores `bytes` as a blob (for manifests and layers a test builds itself).
    Descriptor add_raw_blob(const std::string& media_type, const std::string& bytes)
    {
        return add_blob(media_type, bytes);
    }
    // Names `descriptor` in index.json as `tag` (org.opencontainers.image.ref.name); rewrites it.
    void tag(const Descriptor& descriptor, const std::string& tag);

    [[nodiscard]] const std::filesystem::path& folder() const { return m_folder; }

private:
    Descriptor add_blob(const std::string& media_type, const std::string& bytes);
    std::filesystem::path m_folder;
    std::vector<std::pair<Descriptor, std::string>> m_tags;
};

// The layout the push and image archive tests share: two amd64 images whose first layers hold the
// same 50 kB file, and an index over an amd64 and an arm64 image, named in index.json by full
// references as a bundle's layout names them.
struct SampleImages {
    BuiltImage first;
    BuiltImage second;
    BuiltImage amd64;
    BuiltImage arm64;
    Descriptor index;
};
SampleImages add_sample_images(OciLayout& layout, const std::string& first_ref, const std::string& second_ref,
                               const std::string& index_ref);

// A ustar archive holding one regular file.
std::string tar_with_file(const std::string& name, const std::string& content);

}  // namespace gapbundle::testing
